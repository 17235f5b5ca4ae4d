import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { ModelVersion } from '../../core/api.types';
import { humanize, percent } from '../../shared/format';
import { ModelCharts } from './model-charts';
import { candidateRows, clarifyView, conflictNotice, policyView } from './model-report';

/** A version's evaluation: how it answers customers, the kinds compared, left-out texts, charts, per category. */
@Component({
  selector: 'app-version-report',
  imports: [ModelCharts],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let m = model();
    <section aria-labelledby="report-title" class="report">
      <h2 id="report-title">Report for {{ m.version }}</h2>
      <p>
        Accuracy <strong>{{ pct(m.accuracy) }}</strong> · macro-F1
        <strong>{{ pct(m.macro_f1) }}</strong>
        @if (m.report?.validation_macro_f1 !== undefined) {
          · validation macro-F1 {{ pct(m.report?.validation_macro_f1) }}
        }
        @if (m.report?.examples) {
          · {{ m.report?.examples }} test examples
        }
      </p>
      <div class="card answering" role="group" aria-labelledby="answering-title">
        <h3 id="answering-title">Answering customers</h3>
        @if (policy(); as p) {
          <p class="muted">{{ p.summary }}</p>
          <dl class="stat-cards policy-stats">
            @for (r of p.rows; track r.key) {
              <div [attr.data-key]="r.key">
                <dt>{{ r.label }}</dt>
                <dd class="value">{{ r.value }}</dd>
                @if (r.goal) {
                  <dd class="goal">
                    goal {{ r.goal }}
                    @if (r.met === true) {
                      <span class="badge ok">✓ met</span>
                    }
                    @if (r.met === false) {
                      <span class="badge bad">✗ below goal</span>
                    }
                  </dd>
                }
                <dd class="muted">{{ r.detail }}</dd>
              </div>
            }
          </dl>
        }
        @if (clarify(); as c) {
          @if (c.on) {
            <div class="clarify" role="group" aria-labelledby="clarify-title">
              <h4 id="clarify-title">“Did you mean …?”</h4>
              <p class="muted">{{ c.summary }}</p>
              <dl class="stat-cards clarify-stats">
                @for (r of c.rows; track r.key) {
                  <div [attr.data-key]="r.key">
                    <dt>{{ r.label }}</dt>
                    <dd class="value">{{ r.value }}</dd>
                    @if (r.goal) {
                      <dd class="goal">goal {{ r.goal }} on validation</dd>
                    }
                    <dd class="muted">{{ r.detail }}</dd>
                  </div>
                }
              </dl>
            </div>
          } @else {
            <p class="muted clarify-off" data-key="clarify-off">{{ c.off }}</p>
          }
        }
        @if (candidates().length > 1) {
          <div class="table-wrap">
            <table class="candidates">
              <caption>
                Kinds compared on validation
              </caption>
              <thead>
                <tr>
                  <th>Kind</th>
                  <th class="num">Accuracy</th>
                  <th class="num">Answered right</th>
                  <th>Goals met</th>
                </tr>
              </thead>
              <tbody>
                @for (c of candidates(); track c.kind) {
                  <tr [class.chosen]="c.chosen" [attr.data-kind]="c.kind">
                    <td>
                      {{ c.kind }}
                      @if (c.chosen) {
                        <span class="badge ok">chosen</span>
                      }
                    </td>
                    <td class="num">{{ c.accuracy }}</td>
                    <td class="num">{{ c.answeredRight }}</td>
                    <td>{{ c.goalsMet }}</td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
        }
      </div>
      @if (conflicts(); as c) {
        <div class="notice conflicts" role="note" aria-labelledby="conflicts-title">
          <p id="conflicts-title">
            <strong
              >{{ c.count }} {{ c.count === 1 ? 'text was' : 'texts were' }} left out of
              training</strong
            >
            because {{ c.count === 1 ? 'it is' : 'they are' }} stored under more than one label.
            Keep one label per text on the Training data page.
          </p>
          <ul>
            @for (e of c.examples; track $index) {
              <li>“{{ e.text }}” — {{ e.labels }}</li>
            }
          </ul>
          @if (c.more) {
            <p class="muted">and {{ c.more }} more.</p>
          }
        </div>
      }
      <app-model-charts [model]="m" />
      <div class="table-wrap card">
        <table class="per-category">
          <caption>
            Per category
          </caption>
          <thead>
            <tr>
              <th>Category</th>
              <th class="num">Precision</th>
              <th class="num">Recall</th>
              <th class="num">F1</th>
              <th class="num">Support</th>
              <th>Most confused with</th>
            </tr>
          </thead>
          <tbody>
            @for (c of m.report?.categories ?? []; track c.name) {
              <tr>
                <td>{{ label(c.name) }}</td>
                <td class="num">{{ pct(c.precision) }}</td>
                <td class="num">{{ pct(c.recall) }}</td>
                <td class="num">{{ pct(c.f1) }}</td>
                <td class="num">{{ c.support }}</td>
                <td>
                  @if (c.most_confused_with && c.confused_count) {
                    {{ label(c.most_confused_with) }} ({{ c.confused_count }})
                  } @else {
                    –
                  }
                </td>
              </tr>
            }
          </tbody>
        </table>
      </div>
    </section>
  `,
  styles: `
    .policy-stats dd.goal,
    .clarify-stats dd.goal {
      font-size: 0.9rem;
    }
    .clarify h4 {
      font-size: 0.95rem;
      margin: 0.75rem 0 0;
    }
    .clarify p {
      margin: 0.15rem 0 0.25rem;
    }
    table.candidates {
      max-width: 36rem;
      margin-top: 0.5rem;
    }
    table.candidates caption {
      text-align: left;
      font-weight: 600;
      padding: 0.25rem 0;
    }
    tr.chosen td {
      background: #eef7f0;
    }
    @media (max-width: 480px) {
      table.candidates th,
      table.candidates td {
        padding-left: 0.3rem;
        padding-right: 0.3rem;
      }
    }
    .conflicts {
      margin-bottom: 1rem;
    }
    .conflicts p {
      margin: 0.25rem 0;
    }
    .conflicts ul {
      margin: 0.25rem 0;
      padding-left: 1.25rem;
    }
  `,
})
export class VersionReport {
  readonly model = input.required<ModelVersion>();
  protected readonly pct = percent;
  protected readonly label = humanize;

  protected readonly policy = computed(() => policyView(this.model().report));
  protected readonly clarify = computed(() => clarifyView(this.model().report));
  protected readonly candidates = computed(() =>
    candidateRows(this.model().report, this.model().kind ?? ''),
  );
  protected readonly conflicts = computed(() => conflictNotice(this.model().report));
}
