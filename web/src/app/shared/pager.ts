import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { PagedList } from '../core/lists';

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
      <button type="button" [disabled]="!info().hasPrevious" (click)="go(-1)">Previous</button>
      <span class="range">{{ range() }}</span>
      <button type="button" [disabled]="!info().hasNext" (click)="go(1)">Next</button>
    </nav>
  `,
})
export class Pager {
  readonly list = input.required<PagedList<unknown>>();
  readonly label = input('Pages');
  /** The offset of the page asked for. */
  readonly offsetChange = output<number>();

  protected readonly info = computed(() => {
    const list = this.list();
    return pageInfo(list.total(), list.limit, list.offset());
  });
  protected readonly range = computed(() => {
    const i = this.info();
    return `${i.first}–${i.last} of ${this.list().total()} (page ${i.page} of ${i.pages})`;
  });

  /** Asks for the previous (-1) or the next (1) page. */
  protected go(step: -1 | 1): void {
    const list = this.list();
    this.offsetChange.emit(Math.max(0, list.offset() + step * list.limit));
  }
}
