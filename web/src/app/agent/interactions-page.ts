import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { ApiService } from '../core/api.service';
import { Feedback, FeedbackFilter, Interaction, InteractionFilters } from '../core/api.types';
import { loadError } from '../core/api-call';
import { categoryNames, pagedList } from '../core/lists';
import { dateTime, humanize, percent } from '../shared/format';
import { CategoryFilter } from '../shared/category-filter';
import { EntityChips } from '../shared/entity-chips';
import { Pager } from '../shared/pager';
import { describeClarification } from './clarification';

interface FilterForm {
  category: string;
  handoff: '' | 'true' | 'false';
  feedback: FeedbackFilter;
  from: string;
  to: string;
}

const EMPTY: FilterForm = { category: '', handoff: '', feedback: '', from: '', to: '' };

/** Every interaction, newest first, filtered by category, hand-off, feedback and date. */
@Component({
  selector: 'app-interactions-page',
  imports: [FormsModule, CategoryFilter, EntityChips, Pager],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Interactions</h1>
    <form class="card filters" (ngSubmit)="apply()" aria-label="Filters">
      <app-category-filter
        inputId="f-category"
        [names]="categories.names()"
        [(value)]="form.category"
      />
      <div>
        <label for="f-handoff">Hand-off</label>
        <select id="f-handoff" name="handoff" [(ngModel)]="form.handoff">
          <option value="">Any</option>
          <option value="true">Handed off</option>
          <option value="false">Answered</option>
        </select>
      </div>
      <div>
        <label for="f-feedback">Feedback</label>
        <select id="f-feedback" name="feedback" [(ngModel)]="form.feedback">
          <option value="">Any or none</option>
          <option value="any">With feedback</option>
          <option value="none">Without feedback</option>
          <option value="helpful">Helpful</option>
          <option value="unhelpful">Not helpful</option>
          <option value="corrected">Category corrected</option>
        </select>
      </div>
      <div>
        <label for="f-from">From</label>
        <input id="f-from" name="from" type="date" [(ngModel)]="form.from" />
      </div>
      <div>
        <label for="f-to">To</label>
        <input id="f-to" name="to" type="date" [(ngModel)]="form.to" />
      </div>
      <div>
        <button type="submit" class="primary">Apply</button>
        <button type="button" (click)="reset()">Reset</button>
      </div>
    </form>

    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    @if (page.loading()) {
      <p class="muted" role="status">Loading…</p>
    }
    <div class="table-wrap">
      <table>
        <caption class="sr-only">
          Interactions
        </caption>
        <thead>
          <tr>
            <th>When</th>
            <th>Question</th>
            <th>Category</th>
            <th class="num">Confidence</th>
            <th>Hand-off</th>
            <th>Feedback</th>
            <th>Review</th>
          </tr>
        </thead>
        <tbody>
          @for (i of page.items(); track i.id) {
            <tr [attr.data-interaction]="i.id">
              <td>{{ when(i.created_at) }}</td>
              <td>
                {{ i.query }}
                <app-entity-chips [entities]="i.entities" />
                @if (i.clarification; as c) {
                  <div class="muted clarification">{{ clarified(c) }}</div>
                }
              </td>
              <td>{{ label(i.category) }}</td>
              <td class="num">{{ pct(i.confidence) }}</td>
              <td>{{ i.handoff ? 'yes' : 'no' }}</td>
              <td>
                @if (i.feedback; as fb) {
                  {{ verdict(fb) }}
                  @if (fb.comment) {
                    <br /><q>{{ fb.comment }}</q>
                  }
                } @else {
                  –
                }
              </td>
              <td>
                {{ i.review ?? '–' }}
                @if (i.reviewed_category) {
                  → {{ label(i.reviewed_category) }}
                }
              </td>
            </tr>
          } @empty {
            @if (!page.loading()) {
              <tr>
                <td colspan="7">No interactions match.</td>
              </tr>
            }
          }
        </tbody>
      </table>
    </div>
    <app-pager [list]="page" (offsetChange)="load($event)" label="Interaction pages" />
  `,
})
export class InteractionsPage {
  private readonly api = inject(ApiService);
  protected readonly label = humanize;
  protected readonly pct = percent;
  protected readonly when = dateTime;
  protected readonly clarified = describeClarification;
  protected readonly limit = 25;

  protected form: FilterForm = { ...EMPTY };
  // A new object on every search, so that searching again reloads even when nothing changed.
  private readonly query = signal<{ filters: InteractionFilters; offset: number }>({
    filters: {},
    offset: 0,
  });
  private readonly list = rxResource({
    params: () => this.query(),
    stream: ({ params }) =>
      this.api.interactions({ ...params.filters, limit: this.limit, offset: params.offset }),
  });
  readonly page = pagedList(this.list, this.limit);
  protected readonly categories = categoryNames();
  private readonly formError = signal('');
  readonly error = computed(
    () => this.formError() || loadError(this.list, this.categories.resource),
  );

  /** "not helpful, about Order status": one text, so that no space comes before the comma. */
  protected verdict(fb: Feedback): string {
    const verdict = fb.helpful ? 'helpful' : 'not helpful';
    return fb.category ? `${verdict}, about ${humanize(fb.category)}` : verdict;
  }

  apply(): void {
    if (this.form.from && this.form.to && this.form.from > this.form.to) {
      this.formError.set('"From" must not be after "To".');
      return;
    }
    this.search({ ...this.form }, 0);
  }

  reset(): void {
    this.form = { ...EMPTY };
    this.search({}, 0);
  }

  load(offset: number): void {
    this.search(this.query().filters, offset);
  }

  private search(filters: InteractionFilters, offset: number): void {
    this.formError.set('');
    this.query.set({ filters, offset });
  }
}
