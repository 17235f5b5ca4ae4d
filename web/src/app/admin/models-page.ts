import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { ChartConfiguration } from 'chart.js';
import { Subscription, switchMap, takeWhile, timer } from 'rxjs';
import { ApiService } from '../core/api.service';
import { ModelVersion, TrainKind, TrainingJob } from '../core/api.types';
import { describeError } from '../core/api-error';
import { dateTime, humanize, percent } from '../shared/format';
import { ChartView } from '../shared/chart-view';
import { MatrixCell, cellColour, confusionCells, histogramSeries, jobPercent } from './chart-data';
import { TRAIN_KINDS, answeredRight, candidateRows, conflictNotice, policyView, trainInput } from './model-report';

const POLL_MS = 500;

/** Model versions with their evaluation, training a new one with live progress, and activation. */
@Component({
  selector: 'app-models-page',
  imports: [FormsModule, ChartView],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Models</h1>
    @if (error()) { <p class="error" role="alert">{{ error() }}</p> }
    @if (message()) { <p class="success" role="status">{{ message() }}</p> }

    <section class="card" aria-labelledby="train-title">
      <h2 id="train-title">Train a new model</h2>
      @if (job(); as j) {
        <div class="training" [attr.data-status]="j.status">
          <label for="train-progress">Training job #{{ j.id }}: {{ j.status }}</label>
          <progress id="train-progress" max="100" [value]="percentDone()"></progress>
          <p class="progress-text" aria-live="polite">
            <strong>{{ percentDone() }}%</strong>
            @if (j.progress.epoch !== undefined) { · epoch {{ j.progress.epoch }} of {{ j.progress.epochs }} }
            @if (j.progress.loss !== undefined) { · loss {{ j.progress.loss.toFixed(3) }} }
            @if (j.progress.validation_macro_f1 !== undefined) { · validation macro-F1 {{ pct(j.progress.validation_macro_f1) }} }
          </p>
          @if (j.status === 'failed' && j.error) { <p class="error" role="alert">Training failed: {{ j.error }}</p> }
          @if (j.status === 'succeeded' && j.model_version) {
            <p class="success">Trained {{ j.model_version }}. Check its report below, then activate it.</p>
          }
          @if (j.status === 'running') {
            <button type="button" class="danger" (click)="cancel(j)">Cancel training</button>
          }
        </div>
      }
      @if (job()?.status !== 'running') {
        <form (ngSubmit)="train()" class="train-form">
          <div class="field">
            <label for="train-kind">Kind</label>
            <select id="train-kind" name="kind" [(ngModel)]="kind" aria-describedby="train-kind-help">
              @for (k of kinds; track k.value) { <option [value]="k.value">{{ k.label }}</option> }
            </select>
          </div>
          <div class="field">
            <label for="epochs">Epochs (optional, 1–1000)</label>
            <input id="epochs" name="epochs" type="number" min="1" max="1000" placeholder="default" [(ngModel)]="epochs"
                   aria-describedby="epochs-help" />
          </div>
          <div class="field">
            <label for="answer-precision">Answer precision goal (optional)</label>
            <input id="answer-precision" name="answer_precision" type="number" min="0.5" max="1" step="0.01" placeholder="0.95"
                   [(ngModel)]="answerPrecision" aria-describedby="precision-help" />
          </div>
          <button type="submit" class="primary" [disabled]="starting()">Train new model</button>
          <p class="muted hint" id="train-kind-help">
            <strong>auto</strong> trains linear (TF-IDF), n-gram and their ensemble and keeps the one that answers
            customers best on validation.
          </p>
          <p class="muted hint" id="epochs-help">Epochs apply to the n-gram model.</p>
          <p class="muted hint" id="precision-help">The answer precision goal (0.50–1.00, default 0.95) is the share of
            the model's answers that must be right; it hands off more questions to reach it.</p>
        </form>
      }
    </section>

    <section aria-labelledby="versions-title">
      <h2 id="versions-title">Versions</h2>
      <div class="table-wrap">
        <table class="versions">
          <thead>
            <tr>
              <th>Version</th><th>Kind</th><th>Created</th><th class="num">Accuracy</th><th class="num">Macro-F1</th>
              <th class="num">Answered right</th><th>Status</th><th>Actions</th>
            </tr>
          </thead>
          <tbody>
            @for (m of models(); track m.version) {
              <tr [attr.data-version]="m.version" [class.selected]="m.version === selected()?.version">
                <td>{{ m.version }}</td>
                <td class="kind">{{ m.kind || '–' }}</td>
                <td>{{ when(m.created_at) }}</td>
                <td class="num">{{ pct(m.accuracy) }}</td>
                <td class="num">{{ pct(m.macro_f1) }}</td>
                <td class="num answered">{{ answered(m.report) }}</td>
                <td>
                  @if (m.active) { <span class="badge ok">active</span> }
                  @if (m.served && !m.active) { <span class="badge">serving</span> }
                </td>
                <td class="actions">
                  <button type="button" (click)="select(m)" [attr.aria-pressed]="m.version === selected()?.version">Report</button>
                  @if (!m.active) {
                    <button type="button" class="primary" (click)="confirming.set(m.version)">Activate</button>
                  }
                </td>
              </tr>
              @if (confirming() === m.version) {
                <tr class="confirm-row">
                  <td colspan="8">
                    <div role="alertdialog" aria-labelledby="confirm-text" class="notice">
                      <p id="confirm-text">Activate <strong>{{ m.version }}</strong>? Every server will answer customers with it
                        ({{ m.kind }}: accuracy {{ pct(m.accuracy) }}, macro-F1 {{ pct(m.macro_f1) }}, answered and right
                        {{ answered(m.report) }}).</p>
                      <button type="button" class="primary" (click)="activate(m)" [disabled]="activating()">Yes, activate</button>
                      <button type="button" (click)="confirming.set(null)">Cancel</button>
                    </div>
                  </td>
                </tr>
              }
            } @empty {
              <tr><td colspan="8">{{ loading() ? 'Loading…' : 'No model versions yet.' }}</td></tr>
            }
          </tbody>
        </table>
      </div>
    </section>

    @if (selected(); as m) {
      <section aria-labelledby="report-title" class="report">
        <h2 id="report-title">Report for {{ m.version }}</h2>
        <p>
          Accuracy <strong>{{ pct(m.accuracy) }}</strong> · macro-F1 <strong>{{ pct(m.macro_f1) }}</strong>
          @if (m.report?.validation_macro_f1 !== undefined) { · validation macro-F1 {{ pct(m.report?.validation_macro_f1) }} }
          @if (m.report?.examples) { · {{ m.report?.examples }} test examples }
        </p>
        <div class="card answering" role="group" aria-labelledby="answering-title">
          <h3 id="answering-title">Answering customers</h3>
          @if (policy(); as p) {
            <p class="muted">{{ p.summary }}</p>
            <dl class="policy-stats">
              @for (r of p.rows; track r.key) {
                <div [attr.data-key]="r.key">
                  <dt>{{ r.label }}</dt>
                  <dd class="value">{{ r.value }}</dd>
                  @if (r.goal) {
                    <dd class="goal">goal {{ r.goal }}
                      @if (r.met === true) { <span class="badge ok">✓ met</span> }
                      @if (r.met === false) { <span class="badge bad">✗ below goal</span> }
                    </dd>
                  }
                  <dd class="muted">{{ r.detail }}</dd>
                </div>
              }
            </dl>
          }
          @if (candidates().length > 1) {
            <div class="table-wrap">
              <table class="candidates">
                <caption>Kinds compared on validation</caption>
                <thead>
                  <tr><th>Kind</th><th class="num">Accuracy</th><th class="num">Answered right</th><th>Goals met</th></tr>
                </thead>
                <tbody>
                  @for (c of candidates(); track c.kind) {
                    <tr [class.chosen]="c.chosen" [attr.data-kind]="c.kind">
                      <td>{{ c.kind }} @if (c.chosen) { <span class="badge ok">chosen</span> }</td>
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
            <p id="conflicts-title"><strong>{{ c.count }} {{ c.count === 1 ? 'text was' : 'texts were' }} left out of training</strong>
              because {{ c.count === 1 ? 'it is' : 'they are' }} stored under more than one label. Keep one label per text on the
              Training data page.</p>
            <ul>
              @for (e of c.examples; track $index) { <li>“{{ e.text }}” — {{ e.labels }}</li> }
            </ul>
            @if (c.more) { <p class="muted">and {{ c.more }} more.</p> }
          </div>
        }
        <div class="grid-2">
          <div class="card">
            <h3>Confusion matrix</h3>
            <p class="muted">Rows: true category; columns: predicted. Darker means a larger share of the row.</p>
            <app-chart [config]="confusionConfig()" [height]="matrixHeight()"
                       [label]="'Confusion matrix heat map of ' + m.version + '; the per-category table below has the numbers'" />
          </div>
          <div class="card">
            <h3>Confidence histogram</h3>
            <p class="muted">Test answers by the model's confidence, right and wrong.</p>
            <app-chart [config]="histogramConfig()" [label]="'Confidence histogram of ' + m.version" />
          </div>
        </div>
        <div class="table-wrap card">
          <table class="per-category">
            <caption>Per category</caption>
            <thead>
              <tr><th>Category</th><th class="num">Precision</th><th class="num">Recall</th><th class="num">F1</th><th class="num">Support</th><th>Most confused with</th></tr>
            </thead>
            <tbody>
              @for (c of m.report?.categories ?? []; track c.name) {
                <tr>
                  <td>{{ label(c.name) }}</td>
                  <td class="num">{{ pct(c.precision) }}</td>
                  <td class="num">{{ pct(c.recall) }}</td>
                  <td class="num">{{ pct(c.f1) }}</td>
                  <td class="num">{{ c.support }}</td>
                  <td>@if (c.most_confused_with && c.confused_count) { {{ label(c.most_confused_with) }} ({{ c.confused_count }}) } @else { – }</td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      </section>
    }
  `,
  styles: `
    .train-form { display: flex; flex-wrap: wrap; align-items: end; gap: 0.5rem 0.75rem; }
    .train-form .field { flex: 1 1 13rem; max-width: 17rem; }
    .train-form .field label { margin-top: 0; }
    .train-form button { margin: 0; }
    .train-form .hint { width: 100%; margin: 0; }
    .policy-stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 9rem), 1fr)); gap: 0.75rem; margin: 0.5rem 0; }
    .policy-stats > div { border: 1px solid var(--line); border-radius: 6px; padding: 0.5rem 0.75rem; }
    .policy-stats dt { color: var(--muted); font-size: 0.9rem; }
    .policy-stats dd { margin: 0; }
    .policy-stats dd.value { font-size: 1.4rem; font-weight: 700; font-variant-numeric: tabular-nums; }
    .policy-stats dd.goal { font-size: 0.9rem; }
    .policy-stats dd.muted { font-size: 0.8rem; }
    table.candidates { max-width: 36rem; margin-top: 0.5rem; }
    table.candidates caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
    tr.chosen td { background: #eef7f0; }
    @media (max-width: 480px) {
      table.candidates th, table.candidates td { padding-left: 0.3rem; padding-right: 0.3rem; }
    }
    .conflicts { margin-bottom: 1rem; }
    .conflicts p { margin: 0.25rem 0; }
    .conflicts ul { margin: 0.25rem 0; padding-left: 1.25rem; }
    td.kind { white-space: nowrap; }
    .actions { white-space: nowrap; }
    .actions button { margin: 0 0.25rem 0 0; }
    tr.selected td { background: #eef3fb; }
  `,
})
export class ModelsPage {
  private readonly api = inject(ApiService);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly pct = percent;
  protected readonly when = dateTime;
  protected readonly label = humanize;
  protected readonly answered = answeredRight;
  protected readonly kinds = TRAIN_KINDS;

  readonly models = signal<ModelVersion[]>([]);
  readonly selected = signal<ModelVersion | null>(null);
  readonly job = signal<TrainingJob | null>(null);
  readonly loading = signal(true);
  readonly starting = signal(false);
  readonly activating = signal(false);
  readonly confirming = signal<string | null>(null);
  readonly error = signal('');
  readonly message = signal('');
  protected epochs: number | null = null;
  protected kind: TrainKind = 'auto';
  protected answerPrecision: number | null = null;
  private polling: Subscription | null = null;

  readonly percentDone = computed(() => jobPercent(this.job()));

  readonly policy = computed(() => policyView(this.selected()?.report));
  readonly candidates = computed(() => candidateRows(this.selected()?.report, this.selected()?.kind ?? ''));
  readonly conflicts = computed(() => conflictNotice(this.selected()?.report));

  readonly matrixHeight = computed(() => Math.max(320, 28 * (this.selected()?.report?.labels?.length ?? 0) + 140));

  readonly confusionConfig = computed((): ChartConfiguration<'matrix', MatrixCell[]> => {
    const report = this.selected()?.report ?? {};
    const names = (report.labels ?? []).map(humanize);
    const cells = confusionCells(report);
    return {
      type: 'matrix',
      data: {
        datasets: [
          {
            label: 'Examples',
            data: cells,
            backgroundColor: (ctx) => (ctx.raw ? cellColour(ctx.raw as MatrixCell) : "transparent"),
            borderColor: 'rgba(0,0,0,0.08)',
            borderWidth: 1,
            width: ({ chart }) => (chart.chartArea?.width ?? 0) / Math.max(1, names.length) - 1,
            height: ({ chart }) => (chart.chartArea?.height ?? 0) / Math.max(1, names.length) - 1,
          },
        ],
      },
      options: {
        animation: false,
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: () => '',
              label: (ctx) => {
                const c = ctx.raw as MatrixCell;
                return `${c.y} → ${c.x}: ${c.v} (${percent(c.share)})`;
              },
            },
          },
        },
        scales: {
          x: { type: 'category', labels: names, offset: true, grid: { display: false }, ticks: { autoSkip: false, maxRotation: 60 } },
          y: { type: 'category', labels: [...names].reverse(), offset: true, grid: { display: false }, ticks: { autoSkip: false } },
        },
      },
    };
  });

  readonly histogramConfig = computed((): ChartConfiguration<'bar'> => {
    const hist = this.selected()?.report?.confidence_histogram ?? { bins: 10, right: [], wrong: [] };
    const h = histogramSeries(hist);
    return {
      type: 'bar',
      data: {
        labels: h.labels,
        datasets: [
          { label: 'Right', data: h.right, backgroundColor: '#1e8e3e' },
          { label: 'Wrong', data: h.wrong, backgroundColor: '#d93025' },
        ],
      },
      options: {
        animation: false,
        scales: { x: { stacked: true, title: { display: true, text: 'Confidence' } }, y: { stacked: true, beginAtZero: true, title: { display: true, text: 'Answers' } } },
      },
    };
  });

  constructor() {
    this.loadModels();
    // A job started elsewhere (another tab, another server) is followed too.
    this.api.trainingJobs().subscribe({
      next: (jobs) => {
        const running = jobs.find((j) => j.status === 'running');
        if (running) this.follow(running);
      },
      error: (err: unknown) => this.error.set(describeError(err)),
    });
  }

  loadModels(keepSelection = true): void {
    this.api.models().subscribe({
      next: (items) => {
        this.models.set(items);
        this.loading.set(false);
        const current = keepSelection ? this.selected()?.version : undefined;
        this.selected.set(items.find((m) => m.version === current) ?? items.find((m) => m.active) ?? items[0] ?? null);
      },
      error: (err: unknown) => {
        this.loading.set(false);
        this.error.set(describeError(err));
      },
    });
  }

  select(m: ModelVersion): void {
    this.selected.set(m);
  }

  train(): void {
    this.error.set('');
    this.message.set('');
    const request = trainInput({ kind: this.kind, epochs: this.epochs, answerPrecision: this.answerPrecision });
    if ('error' in request) {
      this.error.set(request.error);
      return;
    }
    this.starting.set(true);
    this.api.train(request.input).subscribe({
      next: (job) => {
        this.starting.set(false);
        this.follow(job);
      },
      error: (err: unknown) => {
        this.starting.set(false);
        this.error.set(describeError(err));
      },
    });
  }

  private follow(job: TrainingJob): void {
    this.job.set(job);
    this.polling?.unsubscribe();
    this.polling = timer(POLL_MS, POLL_MS)
      .pipe(
        switchMap(() => this.api.trainingJob(job.id)),
        takeWhile((j) => j.status === 'running', true),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (j) => {
          this.job.set(j);
          if (j.status !== 'running') {
            if (j.status === 'succeeded' && j.model_version) {
              const version = j.model_version;
              this.api.models().subscribe({
                next: (items) => {
                  this.models.set(items);
                  this.selected.set(items.find((m) => m.version === version) ?? this.selected());
                },
                error: (err: unknown) => this.error.set(describeError(err)),
              });
            }
            if (j.status === 'cancelled') this.message.set(`Training job #${j.id} was cancelled.`);
          }
        },
        error: (err: unknown) => this.error.set(describeError(err)),
      });
  }

  cancel(j: TrainingJob): void {
    this.api.cancelTraining(j.id).subscribe({
      next: (updated) => this.job.set({ ...this.job()!, ...updated }),
      error: (err: unknown) => this.error.set(describeError(err)),
    });
  }

  activate(m: ModelVersion): void {
    this.activating.set(true);
    this.error.set('');
    this.api.activate(m.version).subscribe({
      next: () => {
        this.activating.set(false);
        this.confirming.set(null);
        this.message.set(`${m.version} is now active.`);
        this.loadModels();
      },
      error: (err: unknown) => {
        this.activating.set(false);
        this.error.set(describeError(err));
      },
    });
  }
}
