import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ApiService } from '../core/api.service';
import { FeedbackFilter, Interaction, InteractionFilters } from '../core/api.types';
import { describeError } from '../core/api-error';
import { dateTime, humanize, percent } from '../shared/format';
import { Pager } from '../shared/pager';

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
  imports: [FormsModule, Pager],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Interactions</h1>
    <form class="card filters" (ngSubmit)="apply()" aria-label="Filters">
      <div>
        <label for="f-category">Category</label>
        <select id="f-category" name="category" [(ngModel)]="form.category">
          <option value="">Any</option>
          @for (c of categories(); track c) { <option [value]="c">{{ label(c) }}</option> }
        </select>
      </div>
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

    @if (error()) { <p class="error" role="alert">{{ error() }}</p> }
    @if (loading()) { <p class="muted" role="status">Loading…</p> }
    <div class="table-wrap">
      <table>
        <caption class="sr-only">Interactions</caption>
        <thead>
          <tr><th>When</th><th>Question</th><th>Category</th><th class="num">Confidence</th><th>Hand-off</th><th>Feedback</th><th>Review</th></tr>
        </thead>
        <tbody>
          @for (i of items(); track i.id) {
            <tr [attr.data-interaction]="i.id">
              <td>{{ when(i.created_at) }}</td>
              <td>{{ i.query }}</td>
              <td>{{ label(i.category) }}</td>
              <td class="num">{{ pct(i.confidence) }}</td>
              <td>{{ i.handoff ? 'yes' : 'no' }}</td>
              <td>
                @if (i.feedback; as fb) {
                  {{ fb.helpful ? 'helpful' : 'not helpful' }}@if (fb.category) {, about {{ label(fb.category) }}}
                  @if (fb.comment) { <br /><q>{{ fb.comment }}</q> }
                } @else { – }
              </td>
              <td>{{ i.review ?? '–' }}@if (i.reviewed_category) { → {{ label(i.reviewed_category) }}}</td>
            </tr>
          } @empty {
            @if (!loading()) { <tr><td colspan="7">No interactions match.</td></tr> }
          }
        </tbody>
      </table>
    </div>
    <app-pager [total]="total()" [limit]="limit" [offset]="offset()" (offsetChange)="load($event)" label="Interaction pages" />
  `,
})
export class InteractionsPage {
  private readonly api = inject(ApiService);
  protected readonly label = humanize;
  protected readonly pct = percent;
  protected readonly when = dateTime;
  protected readonly limit = 25;

  protected form: FilterForm = { ...EMPTY };
  private applied: InteractionFilters = {};
  readonly items = signal<Interaction[]>([]);
  readonly total = signal(0);
  readonly offset = signal(0);
  readonly loading = signal(true);
  readonly error = signal('');
  readonly categories = signal<string[]>([]);

  constructor() {
    this.api.categories().subscribe({
      next: (c) => this.categories.set(c.map((x) => x.name)),
      error: (err: unknown) => this.error.set(describeError(err)),
    });
    this.load(0);
  }

  apply(): void {
    if (this.form.from && this.form.to && this.form.from > this.form.to) {
      this.error.set('"From" must not be after "To".');
      return;
    }
    this.applied = { ...this.form };
    this.load(0);
  }

  reset(): void {
    this.form = { ...EMPTY };
    this.applied = {};
    this.load(0);
  }

  load(offset: number): void {
    this.loading.set(true);
    this.error.set('');
    this.api.interactions({ ...this.applied, limit: this.limit, offset }).subscribe({
      next: (page) => {
        this.items.set(page.items);
        this.total.set(page.total);
        this.offset.set(page.offset);
        this.loading.set(false);
      },
      error: (err: unknown) => {
        this.error.set(describeError(err));
        this.loading.set(false);
      },
    });
  }
}
