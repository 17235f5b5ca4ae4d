import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';

export interface PageInfo {
  first: number;
  last: number;
  page: number;
  pages: number;
  hasPrevious: boolean;
  hasNext: boolean;
}

/** 1-based item range and page numbers for `total` items shown `limit` at a time from `offset`. */
export function pageInfo(total: number, limit: number, offset: number): PageInfo {
  const pages = Math.max(1, Math.ceil(total / limit));
  const page = Math.min(pages, Math.floor(offset / limit) + 1);
  return {
    first: total === 0 ? 0 : Math.min(offset + 1, total),
    last: Math.min(offset + limit, total),
    page,
    pages,
    hasPrevious: offset > 0,
    hasNext: offset + limit < total,
  };
}

@Component({
  selector: 'app-pager',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <nav class="pager" [attr.aria-label]="label()">
      <button type="button" [disabled]="!info().hasPrevious" (click)="go(offset() - limit())">Previous</button>
      <span class="range">{{ info().first }}–{{ info().last }} of {{ total() }} (page {{ info().page }} of {{ info().pages }})</span>
      <button type="button" [disabled]="!info().hasNext" (click)="go(offset() + limit())">Next</button>
    </nav>
  `,
})
export class Pager {
  readonly total = input.required<number>();
  readonly limit = input.required<number>();
  readonly offset = input.required<number>();
  readonly label = input('Pages');
  readonly offsetChange = output<number>();

  protected readonly info = computed(() => pageInfo(this.total(), this.limit(), this.offset()));

  protected go(offset: number): void {
    this.offsetChange.emit(Math.max(0, offset));
  }
}
