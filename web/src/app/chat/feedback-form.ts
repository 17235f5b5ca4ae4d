import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  linkedSignal,
  model,
  signal,
} from '@angular/core';
import { ApiService } from '../core/api.service';
import { send } from '../core/api-call';
import { describeError, errorCode } from '../core/api-error';
import { humanize } from '../shared/format';

export type FeedbackState = 'open' | 'sending' | 'sent';

/**
 * Feedback on one answer: helpful yes/no, what it was really about, a comment; sent once, then a thank-you.
 * `sent` is two-way: true from the start shows the thank-you alone (feedback given before a reload), and it turns
 * true when the server has the feedback.
 */
@Component({
  selector: 'app-feedback-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (state() === 'sent') {
      <p class="thanks success" role="status">{{ thanks() }}</p>
    } @else {
      <form
        class="feedback"
        (submit)="$event.preventDefault(); submit()"
        [attr.aria-label]="'Feedback on answer ' + interactionId()"
      >
        <fieldset>
          <legend>Was this answer helpful?</legend>
          <div class="inline-options">
            @for (a of answers; track a.value) {
              <label
                ><input
                  type="radio"
                  [name]="prefix() + '-helpful'"
                  [value]="a.value"
                  [checked]="helpful() === a.helpful"
                  (change)="helpful.set(a.helpful)"
                />
                {{ a.text }}</label
              >
            }
          </div>
        </fieldset>
        <label [for]="prefix() + '-category'">This was about…</label>
        <select
          [id]="prefix() + '-category'"
          [value]="category()"
          (change)="category.set(asValue($event))"
        >
          <option value="">(as answered: {{ label(suggested()) }})</option>
          @for (c of categories(); track c) {
            <option [value]="c">{{ label(c) }}</option>
          }
        </select>
        <label [for]="prefix() + '-comment'">Comment (optional)</label>
        <textarea
          [id]="prefix() + '-comment'"
          maxlength="2000"
          [value]="comment()"
          (input)="comment.set(asValue($event))"
        ></textarea>
        <button type="submit" class="primary" [disabled]="!canSend()">
          {{ state() === 'sending' ? 'Sending…' : 'Send feedback' }}
        </button>
        @if (error()) {
          <p class="error" role="alert">{{ error() }}</p>
        }
      </form>
    }
  `,
  styles: `
    .feedback {
      border-top: 1px solid var(--line);
      margin-top: 0.75rem;
      padding-top: 0.25rem;
    }
    .feedback textarea {
      min-height: 2.5rem;
    }
  `,
})
export class FeedbackForm {
  readonly interactionId = input.required<number>();
  readonly token = input.required<string>();
  readonly suggested = input<string>('');
  readonly categories = input<string[]>([]);
  readonly sent = model(false);

  private readonly api = inject(ApiService);

  readonly state = linkedSignal<FeedbackState>(() => (this.sent() ? 'sent' : 'open'));
  readonly helpful = signal<boolean | null>(null);
  readonly category = signal('');
  readonly comment = signal('');
  readonly error = signal('');
  readonly thanks = signal('Thank you for your feedback!');

  protected readonly prefix = computed(() => `fb-${this.interactionId()}`);
  readonly canSend = computed(() => this.state() === 'open' && this.helpful() !== null);
  protected readonly label = humanize;
  protected readonly answers = [
    { value: 'yes', text: 'Yes', helpful: true },
    { value: 'no', text: 'No', helpful: false },
  ];

  protected asValue(event: Event): string {
    return (event.target as HTMLInputElement).value;
  }

  /** Sends the feedback at most once: further calls while sending or after success do nothing. */
  submit(): void {
    const helpful = this.helpful();
    if (!this.canSend() || helpful === null) return;
    this.state.set('sending');
    const comment = this.comment().trim();
    const feedback = {
      token: this.token(),
      helpful,
      ...(this.category() ? { category: this.category() } : {}),
      ...(comment ? { comment } : {}),
    };
    send(this.api.sendFeedback(this.interactionId(), feedback), {
      error: this.error,
      done: () => this.sent.set(true),
      failed: (err) => {
        if (errorCode(err) === 'conflict') {
          this.thanks.set('Thank you — we already have your feedback on this answer.');
          this.sent.set(true);
          return;
        }
        this.error.set(describeError(err));
        this.state.set('open');
      },
    });
  }
}
