import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { loadError } from '../../core/api-call';
import { ModelComparison } from '../../core/api.types';
import { count, humanize, percent } from '../../shared/format';
import { AnalysisProgress } from '../analysis-progress';
import { ModelComparisons, nothingActive } from './comparison';

/** What activating a version would change on the store's own questions, against the active version. */
@Component({
  selector: 'app-version-comparison',
  imports: [AnalysisProgress],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section aria-labelledby="comparison-title" class="card comparison">
      <h2 id="comparison-title">{{ version() }} compared with the active version</h2>
      @if (noActive()) {
        <p class="muted" role="note">
          No version is active yet, so there is nothing to compare it with.
        </p>
      } @else if (error()) {
        <p class="error" role="alert">{{ error() }}</p>
      } @else if (replaying(); as job) {
        <app-analysis-progress [job]="job" />
      } @else if (comparison.isLoading()) {
        <p class="muted">Replaying the store's questions through both versions…</p>
      } @else if (result(); as c) {
        <p class="muted">
          {{ c.candidate }} against {{ c.active }}, the version answering customers now, on this
          store's own questions.
        </p>
        <dl class="stat-cards comparison-stats">
          <div data-key="accuracy">
            <dt>Accuracy on reviewed questions</dt>
            @if (c.labelled) {
              <dd class="value">{{ pct(c.active_accuracy) }} → {{ pct(c.candidate_accuracy) }}</dd>
              <dd class="muted">
                on {{ num(c.labelled) }} {{ c.labelled === 1 ? 'question' : 'questions' }}
                reviewed by an agent, corrected or rated helpful
              </dd>
            } @else {
              <dd class="value">–</dd>
              <dd class="muted">
                No reviewed or rated questions exist yet, so accuracy cannot be compared.
              </dd>
            }
          </div>
          <div data-key="changed">
            <dt>Answers that change</dt>
            <dd class="value">{{ num(c.changed) }}</dd>
            <dd class="muted">
              @if (c.traffic) {
                of the {{ num(c.traffic) }} most recent
                {{ c.traffic === 1 ? 'question' : 'questions' }}
              } @else {
                no questions stored yet
              }
            </dd>
          </div>
          <div data-key="handoff">
            <dt>Hand-off rate</dt>
            <dd class="value">
              {{ pct(c.active_handoff_rate) }} → {{ pct(c.candidate_handoff_rate) }}
            </dd>
            <dd class="muted">on the same recent questions</dd>
          </div>
        </dl>
        @if (c.labelled) {
          <div class="changes">
            @for (list of lists(); track list.key) {
              <div [attr.data-list]="list.key">
                <h3>{{ list.title }} ({{ list.count }})</h3>
                @if (list.items.length) {
                  <ul>
                    @for (q of list.items; track q.interaction_id) {
                      <li class="change">
                        “{{ q.query }}” — {{ label(q.active) }} → {{ label(q.candidate) }}
                        <span class="muted">(right: {{ label(q.truth) }})</span>
                      </li>
                    }
                  </ul>
                } @else {
                  <p class="muted">None.</p>
                }
              </div>
            }
          </div>
        }
      }
    </section>
  `,
  styles: `
    .comparison-stats {
      --stat-card-width: 12rem;
    }
    .changes {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 18rem), 1fr));
      gap: 0.75rem;
    }
    .changes h3 {
      font-size: 1rem;
      margin: 0.5rem 0 0.25rem;
    }
    .changes ul {
      margin: 0;
      padding-left: 1.25rem;
    }
    li.change {
      margin: 0.25rem 0;
      overflow-wrap: anywhere;
    }
  `,
})
export class VersionComparison {
  /** The candidate version (not the active one). */
  readonly version = input.required<string>();
  /** The active version as the page last saw it; another one asks again. */
  readonly active = input<string | null>(null);
  private readonly comparisons = inject(ModelComparisons);
  protected readonly pct = percent;
  protected readonly num = count;
  protected readonly label = humanize;

  /** The comparison, or the server's job replaying the questions while it runs (followed until it ends). */
  readonly comparison = rxResource({
    params: () => ({ version: this.version(), active: this.active() }),
    stream: ({ params }) => this.comparisons.get(params.version, params.active),
  });
  /** The job replaying the questions, while the server works on the comparison. */
  protected readonly replaying = computed(() => {
    const a = this.comparison.hasValue() ? this.comparison.value() : undefined;
    return a && !a.done ? a.job : null;
  });
  protected readonly result = computed<ModelComparison | null>(() => {
    const a = this.comparison.hasValue() ? this.comparison.value() : undefined;
    return a?.done ? a.result : null;
  });
  protected readonly noActive = computed(() => nothingActive(this.comparison.error()));
  protected readonly error = computed(() => loadError(this.comparison));
  protected readonly lists = computed(() => {
    const c = this.result();
    // The server sends 20 of each at most, without the total.
    const count = (items: unknown[]) => (items.length >= 20 ? '20 shown' : items.length);
    return [
      { key: 'right', title: 'Now answered right', items: c?.newly_right ?? [] },
      { key: 'wrong', title: 'Now answered wrong', items: c?.newly_wrong ?? [] },
    ].map((list) => ({ ...list, count: count(list.items) }));
  });
}
