import { ChangeDetectionStrategy, Component, input, model } from '@angular/core';
import { humanize } from './format';

/** The Category field of a filter form: "Any" or one of `names`; the page holds the choice in `[(value)]`. */
@Component({
  selector: 'app-category-filter',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <label [for]="inputId()">Category</label>
    <select [id]="inputId()" (change)="value.set(asValue($event))">
      <option value="" [selected]="!value()">Any</option>
      @for (c of names(); track c) {
        <option [value]="c" [selected]="c === value()">{{ label(c) }}</option>
      }
    </select>
  `,
})
export class CategoryFilter {
  readonly inputId = input.required<string>();
  readonly names = input.required<string[]>();
  readonly value = model('');
  protected readonly label = humanize;

  protected asValue(event: Event): string {
    return (event.target as HTMLSelectElement).value;
  }
}
