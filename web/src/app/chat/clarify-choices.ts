import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { Clarify } from '../core/api.types';
import { ClarifyState } from './chat-history';

let nextId = 1;

/**
 * "Did you mean one of these?": the question, a button per category offered and "Something else". A choice is made
 * once: the buttons stay disabled from the click on, unless the chat page reopens them after a failure worth
 * another try.
 */
@Component({
  selector: 'app-clarify-choices',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p class="response" [id]="questionId">{{ clarify().question }}</p>
    <div class="choices" role="group" [attr.aria-labelledby]="questionId">
      @for (o of clarify().options; track o.category) {
        <button
          type="button"
          [class.chosen]="chosen(o.category)"
          [disabled]="locked()"
          (click)="pick(o.category)"
        >
          {{ o.title }}
        </button>
      }
      <button
        type="button"
        [class.chosen]="chosen(null)"
        [disabled]="locked()"
        (click)="pick(null)"
      >
        Something else
      </button>
    </div>
    @if (state().status === 'sending') {
      <p class="muted" role="status">One moment…</p>
    } @else if (state().status === 'chosen') {
      <p class="muted chosen-note">You chose: {{ choiceTitle() }}</p>
    }
    @if (state().error) {
      <p class="error" role="alert">{{ state().error }}</p>
    }
  `,
  styles: `
    .response {
      margin-top: 0;
    }
    .choices {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
    }
    .choices button {
      margin: 0;
      max-width: 100%;
      text-align: left;
      overflow-wrap: anywhere;
      border-color: var(--accent);
      color: var(--accent);
    }
    .choices button.chosen {
      background: var(--accent);
      color: var(--accent-fg);
      opacity: 1;
    }
    .chosen-note {
      margin-bottom: 0;
    }
  `,
})
export class ClarifyChoices {
  readonly clarify = input.required<Clarify>();
  readonly state = input<ClarifyState>({ status: 'open' });
  /** The category picked, or null for "Something else". */
  readonly choose = output<string | null>();

  protected readonly questionId = `clarify-question-${nextId++}`;
  readonly locked = computed(() => this.state().status !== 'open');
  protected readonly choiceTitle = computed(() => {
    const choice = this.state().choice ?? null;
    if (choice === null) return 'Something else';
    return this.clarify().options.find((o) => o.category === choice)?.title ?? choice;
  });

  protected chosen(category: string | null): boolean {
    const s = this.state();
    return s.status === 'chosen' && (s.choice ?? null) === category;
  }

  pick(category: string | null): void {
    if (!this.locked()) this.choose.emit(category);
  }
}
