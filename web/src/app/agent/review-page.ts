import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { ApiService } from '../core/api.service';
import { Interaction, ReviewAction } from '../core/api.types';
import { loadError, send } from '../core/api-call';
import { categoryNames, pagedList } from '../core/lists';
import { describeError } from '../core/api-error';
import { dateTime, humanize, percent } from '../shared/format';
import { EntityChips } from '../shared/entity-chips';
import { Pager } from '../shared/pager';
import { describeClarification } from './clarification';

const PAST: Record<ReviewAction, string> = {
  resolve: 'resolved',
  relabel: 'relabeled',
  ignore: 'ignored',
};

/** The review queue: hand-offs, low confidence and unhelpful or corrected answers, each settled in one click. */
@Component({
  selector: 'app-review-page',
  imports: [EntityChips, Pager],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Review queue</h1>
    <p class="muted">
      Hand-offs, low-confidence answers and answers customers found unhelpful or corrected.
      Relabelling adds the question to the training data.
    </p>
    @if (message()) {
      <p class="success" role="status">{{ message() }}</p>
    }
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    @if (page.loading()) {
      <p class="muted" role="status">Loading…</p>
    }
    @if (!page.loading() && page.items().length === 0 && !error()) {
      <p>The queue is empty.</p>
    }
    <ul class="queue">
      @for (item of page.items(); track item.id) {
        <li class="card review-item" [attr.data-interaction]="item.id">
          <p class="query">
            <strong>“{{ item.query }}”</strong>
          </p>
          <app-entity-chips [entities]="item.entities" />
          <p class="muted">
            #{{ item.id }} · {{ when(item.created_at) }} · answered
            <span class="badge">{{ label(item.category) }}</span>
            {{ pct(item.confidence) }}
            @if (item.handoff) {
              <span class="badge warn">hand-off</span>
            }
          </p>
          @if (item.clarification; as c) {
            <p class="muted clarification">{{ clarified(c) }}</p>
          }
          @if (item.feedback; as fb) {
            <p class="feedback">
              Feedback:
              <span class="badge" [class.ok]="fb.helpful" [class.bad]="!fb.helpful">{{
                fb.helpful ? 'helpful' : 'not helpful'
              }}</span>
              @if (fb.category) {
                customer says it was about <strong>{{ label(fb.category) }}</strong>
              }
              @if (fb.comment) {
                <q>{{ fb.comment }}</q>
              }
            </p>
          }
          <div class="actions">
            <button type="button" (click)="act(item, 'resolve')" [disabled]="busy() === item.id">
              Resolve
            </button>
            <label class="sr-only" [for]="'relabel-' + item.id"
              >Correct category for #{{ item.id }}</label
            >
            <select [id]="'relabel-' + item.id" (change)="choose(item, $event)">
              @for (c of categories.names(); track c) {
                <option [value]="c" [selected]="c === choice(item)">{{ label(c) }}</option>
              }
            </select>
            <button
              type="button"
              class="primary"
              (click)="act(item, 'relabel')"
              [disabled]="busy() === item.id"
            >
              Relabel
            </button>
            <button type="button" (click)="act(item, 'ignore')" [disabled]="busy() === item.id">
              Ignore
            </button>
          </div>
        </li>
      }
    </ul>
    @if (page.total() > limit) {
      <app-pager [list]="page" (offsetChange)="load($event)" label="Review queue pages" />
    }
  `,
  styles: `
    .queue {
      list-style: none;
      padding: 0;
    }
    .query {
      margin: 0 0 0.25rem;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem;
    }
    .actions button {
      margin: 0;
    }
    .actions select {
      width: auto;
      min-width: 12rem;
    }
  `,
})
export class ReviewPage {
  private readonly api = inject(ApiService);
  protected readonly label = humanize;
  protected readonly pct = percent;
  protected readonly when = dateTime;
  protected readonly clarified = describeClarification;
  protected readonly limit = 20;

  private readonly offsetWanted = signal({ offset: 0 });
  private readonly queue = rxResource({
    params: () => this.offsetWanted(),
    stream: ({ params }) => this.api.reviewQueue({ limit: this.limit, offset: params.offset }),
  });
  readonly page = pagedList(this.queue, this.limit);
  protected readonly categories = categoryNames();
  private readonly actionError = signal('');
  readonly error = computed(
    () => this.actionError() || loadError(this.queue, this.categories.resource),
  );
  readonly message = signal('');
  readonly busy = signal<number | null>(null);
  private readonly choices = signal<Record<number, string>>({});

  load(offset: number): void {
    this.offsetWanted.set({ offset });
  }

  /** The category a relabel will use: the one picked, else the customer's correction, else the answered one. */
  protected choice(item: Interaction): string {
    return this.choices()[item.id] ?? item.feedback?.category ?? item.category;
  }

  protected choose(item: Interaction, event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    this.choices.update((c) => ({ ...c, [item.id]: value }));
  }

  act(item: Interaction, action: ReviewAction): void {
    this.busy.set(item.id);
    const category = action === 'relabel' ? this.choice(item) : undefined;
    send(this.api.review(item.id, action, category), {
      error: this.actionError,
      done: () => {
        this.busy.set(null);
        // Settled items leave the page at once; the next page load brings the queue up to date.
        this.queue.update(
          (page) =>
            page && {
              ...page,
              items: page.items.filter((i) => i.id !== item.id),
              total: Math.max(0, page.total - 1),
            },
        );
        this.message.set(
          `#${item.id} ${PAST[action]}${category ? ' as ' + humanize(category) : ''}.`,
        );
      },
      failed: (err) => {
        this.busy.set(null);
        this.actionError.set(describeError(err));
      },
    });
  }
}
