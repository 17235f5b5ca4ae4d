import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  linkedSignal,
  output,
  signal,
} from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { Observable, concat, of, switchMap, takeWhile, tap, timer } from 'rxjs';
import { ApiService } from '../../core/api.service';
import { TrainKind, TrainingJob } from '../../core/api.types';
import { loadError, send } from '../../core/api-call';
import { JobProgress } from './job-progress';
import { TRAIN_KINDS, trainInput } from './model-report';

const POLL_MS = 500;

/** Starts a training job and follows it (or one already running, started elsewhere) until it ends. */
@Component({
  selector: 'app-training-panel',
  imports: [FormsModule, JobProgress],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card" aria-labelledby="train-title">
      <h2 id="train-title">Train a new model</h2>
      @if (error()) {
        <p class="error" role="alert">{{ error() }}</p>
      }
      @if (message()) {
        <p class="success" role="status">{{ message() }}</p>
      }
      @if (job(); as j) {
        <app-job-progress [job]="j" (cancel)="cancel($event)" />
      }
      @if (job()?.status !== 'running') {
        <form (ngSubmit)="train()" class="train-form">
          <div class="field">
            <label for="train-kind">Kind</label>
            <select
              id="train-kind"
              name="kind"
              [(ngModel)]="kind"
              aria-describedby="train-kind-help"
            >
              @for (k of kinds; track k.value) {
                <option [value]="k.value">{{ k.label }}</option>
              }
            </select>
          </div>
          <div class="field">
            <label for="epochs">Epochs (optional, 1–1000)</label>
            <input
              id="epochs"
              name="epochs"
              type="number"
              min="1"
              max="1000"
              placeholder="default"
              [(ngModel)]="epochs"
              aria-describedby="epochs-help"
            />
          </div>
          <div class="field">
            <label for="answer-precision">Answer precision goal (optional)</label>
            <input
              id="answer-precision"
              name="answer_precision"
              type="number"
              min="0.5"
              max="1"
              step="0.01"
              placeholder="0.95"
              [(ngModel)]="answerPrecision"
              aria-describedby="precision-help"
            />
          </div>
          <button type="submit" class="primary" [disabled]="starting()">Train new model</button>
          <p class="muted hint" id="train-kind-help">
            <strong>auto</strong> trains linear (TF-IDF), n-gram and their ensemble and keeps the
            one that answers customers best on validation.
          </p>
          <p class="muted hint" id="epochs-help">Epochs apply to the n-gram model.</p>
          <p class="muted hint" id="precision-help">
            The answer precision goal (0.50–1.00, default 0.95) is the share of the model's answers
            that must be right; it hands off more questions to reach it.
          </p>
        </form>
      }
    </section>
  `,
  styles: `
    .train-form {
      display: flex;
      flex-wrap: wrap;
      align-items: end;
      gap: 0.5rem 0.75rem;
    }
    .train-form .field {
      flex: 1 1 13rem;
      max-width: 17rem;
    }
    .train-form .field label {
      margin-top: 0;
    }
    .train-form button {
      margin: 0;
    }
    .train-form .hint {
      width: 100%;
      margin: 0;
    }
  `,
})
export class TrainingPanel {
  private readonly api = inject(ApiService);
  protected readonly kinds = TRAIN_KINDS;
  protected epochs: number | null = null;
  protected kind: TrainKind = 'auto';
  protected answerPrecision: number | null = null;

  /** A job that succeeded, by the version it trained. */
  readonly trained = output<string>();

  readonly starting = signal(false);
  private readonly actionError = signal('');
  readonly message = signal('');

  private readonly jobs = rxResource({ stream: () => this.api.trainingJobs() });
  /** The job shown: one already running when the page opens, else the last one started or cancelled here. */
  private readonly followed = linkedSignal<TrainingJob | null>(
    () =>
      (this.jobs.hasValue() ? this.jobs.value()?.find((j) => j.status === 'running') : undefined) ??
      null,
  );
  private readonly progress = rxResource({
    params: () => this.followed() ?? undefined,
    stream: ({ params }) => this.poll(params),
  });
  readonly job = computed(
    () => (this.progress.hasValue() ? this.progress.value() : this.followed()) ?? null,
  );
  readonly error = computed(() => this.actionError() || loadError(this.jobs, this.progress));

  train(): void {
    this.message.set('');
    const request = trainInput({
      kind: this.kind,
      epochs: this.epochs,
      answerPrecision: this.answerPrecision,
    });
    if ('error' in request) {
      this.actionError.set(request.error);
      return;
    }
    send(this.api.train(request.input), {
      busy: this.starting,
      error: this.actionError,
      done: (job) => this.followed.set(job),
    });
  }

  cancel(j: TrainingJob): void {
    send(this.api.cancelTraining(j.id), {
      error: this.actionError,
      done: (updated) => this.followed.set({ ...j, ...updated }),
    });
  }

  /** The job as it is now, then as the server reports it every POLL_MS until it is no longer running. */
  private poll(start: TrainingJob): Observable<TrainingJob> {
    const updates =
      start.status === 'running'
        ? timer(POLL_MS, POLL_MS).pipe(
            switchMap(() => this.api.trainingJob(start.id)),
            takeWhile((j) => j.status === 'running', true),
          )
        : of();
    return concat(of(start), updates).pipe(tap((j) => this.ended(j)));
  }

  private ended(j: TrainingJob): void {
    if (j.status === 'succeeded' && j.model_version) this.trained.emit(j.model_version);
    if (j.status === 'cancelled') this.message.set(`Training job #${j.id} was cancelled.`);
  }
}
