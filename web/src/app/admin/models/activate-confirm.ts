import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { ModelVersion } from '../../core/api.types';
import { percent } from '../../shared/format';
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
      <button type="button" class="primary" (click)="confirm.emit(m)" [disabled]="busy()">
        Yes, activate
      </button>
      <button type="button" (click)="dismiss.emit()">Cancel</button>
    </div>
  `,
})
export class ActivateConfirm {
  readonly model = input.required<ModelVersion>();
  readonly busy = input(false);
  readonly confirm = output<ModelVersion>();
  readonly dismiss = output<void>();
  protected readonly pct = percent;
  protected readonly answered = answeredRight;
}
