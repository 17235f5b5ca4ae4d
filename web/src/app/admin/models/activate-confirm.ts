import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { ModelVersion } from '../../core/api.types';
import { percent } from '../../shared/format';
import { ModelComparisons, comparisonHeadline } from './comparison';
import { answeredRight } from './model-report';

/** Asks before a version goes live, with the figures that matter for that choice. */
@Component({
  selector: 'app-activate-confirm',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let m = model();
    <div role="alertdialog" aria-labelledby="confirm-text" class="notice">
      <p id="confirm-text">
        Activate <strong>{{ m.version }}</strong>? Every server will answer customers with it ({{
          m.kind
        }}: accuracy {{ pct(m.accuracy) }}, macro-F1 {{ pct(m.macro_f1) }}, answered and right
        {{ answered(m.report) }}).
      </p>
      @if (headline(); as h) {
        <p class="headline">{{ h }}</p>
      }
      <button type="button" class="primary" (click)="confirm.emit(m)" [disabled]="busy()">
        Yes, activate
      </button>
      <button type="button" (click)="dismiss.emit()">Cancel</button>
    </div>
  `,
})
export class ActivateConfirm {
  readonly model = input.required<ModelVersion>();
  /** The active version as the page last saw it. */
  readonly active = input<string | null>(null);
  readonly busy = input(false);
  readonly confirm = output<ModelVersion>();
  readonly dismiss = output<void>();
  protected readonly pct = percent;
  protected readonly answered = answeredRight;

  private readonly comparisons = inject(ModelComparisons);
  /** The comparison with the active version (the same request as the one beside the report). */
  private readonly comparison = rxResource({
    params: () => ({ version: this.model().version, active: this.active() }),
    stream: ({ params }) => this.comparisons.get(params.version, params.active),
  });
  /** Shown once the comparison has loaded; nothing while it loads or runs, or when it cannot be made. */
  protected readonly headline = computed(() => {
    const a = this.comparison.hasValue() ? this.comparison.value() : undefined;
    return a?.done ? comparisonHeadline(a.result) : '';
  });
}
