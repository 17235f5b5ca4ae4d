import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { AnalysisJob } from '../core/api.types';

const STAGES: Record<string, string> = {
  reading: 'Reading questions…',
  grouping: 'Grouping questions…',
  replaying: 'Replaying recent questions…',
  done: 'Finishing…',
};

/** What a running analysis job is doing, e.g. "Grouping questions…". */
export function stageText(stage: string | undefined): string {
  return (stage && STAGES[stage]) || 'Working…';
}

/** The job's progress as a whole percentage (0–100). */
export function analysisPercent(job: AnalysisJob): number {
  const p = Number(job.progress?.percent);
  return Number.isFinite(p) ? Math.max(0, Math.min(100, Math.round(p))) : 0;
}

/**
 * A topic report or model comparison the server is still working on: its stage and a progress bar, like a
 * training job's ("Grouping questions… 40%").
 */
@Component({
  selector: 'app-analysis-progress',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="analysis" [attr.data-stage]="job().progress.stage">
      <progress max="100" [value]="percent()" [attr.aria-label]="stage()"></progress>
      <p class="progress-text muted" aria-live="polite">
        {{ stage() }} <strong>{{ percent() }}%</strong>
      </p>
    </div>
  `,
  styles: `
    .progress-text {
      margin: 0.25rem 0 0;
    }
  `,
})
export class AnalysisProgress {
  readonly job = input.required<AnalysisJob>();
  protected readonly stage = computed(() => stageText(this.job().progress?.stage));
  protected readonly percent = computed(() => analysisPercent(this.job()));
}
