import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { TrainingJob } from '../../core/api.types';
import { percent } from '../../shared/format';
import { jobPercent } from '../chart-data';

/** One training job's progress: status, a progress bar, epoch, loss and validation score, and its outcome. */
@Component({
  selector: 'app-job-progress',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let j = job();
    <div class="training" [attr.data-status]="j.status">
      <label for="train-progress">Training job #{{ j.id }}: {{ j.status }}</label>
      <progress id="train-progress" max="100" [value]="percentDone()"></progress>
      <p class="progress-text" aria-live="polite">
        <strong>{{ percentDone() }}%</strong>
        @if (j.progress.epoch !== undefined) {
          · epoch {{ j.progress.epoch }} of {{ j.progress.epochs }}
        }
        @if (j.progress.loss !== undefined) {
          · loss {{ j.progress.loss.toFixed(3) }}
        }
        @if (j.progress.validation_macro_f1 !== undefined) {
          · validation macro-F1 {{ pct(j.progress.validation_macro_f1) }}
        }
      </p>
      @if (j.status === 'failed' && j.error) {
        <p class="error" role="alert">Training failed: {{ j.error }}</p>
      }
      @if (j.status === 'succeeded' && j.model_version) {
        <!-- The e2e test reads this line from its first word: no leading space. -->
        <!-- prettier-ignore -->
        <p class="success">Trained {{ j.model_version }}. Check its report below, then activate it.</p>
      }
      @if (j.status === 'running') {
        <button type="button" class="danger" (click)="cancel.emit(j)">Cancel training</button>
      }
    </div>
  `,
})
export class JobProgress {
  readonly job = input.required<TrainingJob>();
  readonly cancel = output<TrainingJob>();
  protected readonly pct = percent;
  protected readonly percentDone = computed(() => jobPercent(this.job()));
}
