import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  computed,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { ApiService } from '../core/api.service';
import { Answer, Recommendation } from '../core/api.types';
import { loadError, send } from '../core/api-call';
import { describeError, isRetryable } from '../core/api-error';
import { humanize } from '../shared/format';
import { ChatHistory, Turn, newSessionId } from './chat-history';
import { ClarifyChoices } from './clarify-choices';
import { FeedbackForm } from './feedback-form';

const MAX_QUERY = 1000;

/**
 * The customer's help chat: ask, read the answer and its recommendations (or pick what the question was about
 * when the model asks "Did you mean …?"), leave feedback. The conversation survives a reload in the same tab.
 */
@Component({
  selector: 'app-chat-page',
  imports: [ClarifyChoices, FeedbackForm],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>How can we help?</h1>
    <p class="muted">Ask about orders, delivery, returns, payments or your account.</p>

    <ol class="conversation" aria-live="polite" aria-label="Conversation">
      @for (turn of turns(); track turn.id) {
        <li class="turn">
          @if (turn.question !== undefined) {
            <p class="question"><span class="sr-only">You asked: </span>{{ turn.question }}</p>
          }
          @if (turn.answer; as a) {
            <article class="answer card" [attr.data-interaction]="a.interaction_id">
              @if (a.handoff) {
                <p class="handoff notice" role="status">
                  <strong>A person will follow up.</strong> We have passed your question to our
                  support team.
                </p>
              }
              @if (a.clarify; as c) {
                <app-clarify-choices
                  [clarify]="c"
                  [state]="turn.clarify ?? { status: 'open' }"
                  (choose)="choose(turn.id, $event)"
                />
              } @else {
                <p class="response">{{ a.response }}</p>
              }
              <p class="muted meta">
                @if (!a.handoff && !a.small_talk && !a.clarify) {
                  <span class="badge">{{ label(a.category) }}</span>
                }
                <span class="model">model {{ a.model_version }}</span>
              </p>
              @if (articles(a).length) {
                <h2 class="rec-heading">Recommended for you</h2>
                <ul class="cards">
                  @for (r of articles(a); track $index) {
                    <li class="rec card">
                      <h3>{{ r.title }}</h3>
                      <p>{{ r.body }}</p>
                      @if (r.action; as act) {
                        <a class="button" [href]="act.url">{{ act.label }}</a>
                      }
                    </li>
                  }
                </ul>
              }
              @if (related(a).length) {
                <h2 class="rec-heading">Related topics</h2>
                <ul class="cards">
                  @for (r of related(a); track $index) {
                    <li class="rec card related">
                      <h3>{{ label(r.category) || r.title }}</h3>
                      <p>{{ r.body }}</p>
                      @if (r.action; as act) {
                        <a class="button" [href]="act.url">{{ act.label }}</a>
                      }
                    </li>
                  }
                </ul>
              }
              @if (!a.small_talk && !a.clarify && turn.reply !== 'other') {
                <app-feedback-form
                  [interactionId]="a.interaction_id"
                  [token]="a.feedback_token"
                  [suggested]="a.category"
                  [categories]="categoryNames()"
                  [sent]="!!turn.feedbackSent"
                  (sentChange)="patch(turn.id, { feedbackSent: $event })"
                />
              }
            </article>
          } @else if (turn.error) {
            <p class="error" role="alert">{{ turn.error }}</p>
          } @else {
            <p class="muted" role="status">Looking for an answer…</p>
          }
        </li>
      }
    </ol>

    <form class="ask card" (submit)="$event.preventDefault(); ask()">
      <label for="question">Your question</label>
      <textarea
        #box
        id="question"
        name="question"
        [attr.maxlength]="max"
        rows="2"
        required
        [value]="draft()"
        (input)="draft.set(box.value)"
        (keydown.enter)="$event.preventDefault(); ask()"
      ></textarea>
      <button type="submit" class="primary" [disabled]="busy() || !draft().trim()">Send</button>
      <span class="muted">{{ draft().length }}/{{ max }}</span>
      @if (turns().length) {
        <button type="button" class="start-over" [disabled]="busy()" (click)="startOver()">
          Start over
        </button>
      }
    </form>
    @if (categoriesError()) {
      <p class="muted">Categories could not be loaded: {{ categoriesError() }}</p>
    }
  `,
  styles: `
    .conversation {
      list-style: none;
      padding: 0;
      margin: 0;
    }
    .question {
      margin: 1rem 0 0.5rem auto;
      max-width: 85%;
      width: fit-content;
      background: var(--accent);
      color: #fff;
      padding: 0.5rem 0.8rem;
      border-radius: 12px 12px 2px 12px;
      white-space: pre-wrap;
    }
    .response {
      white-space: pre-wrap;
      margin-top: 0;
    }
    .cards {
      list-style: none;
      padding: 0;
      display: grid;
      gap: 0.75rem;
      grid-template-columns: repeat(auto-fill, minmax(min(100%, 15rem), 1fr));
    }
    .rec {
      margin: 0;
      padding: 0.75rem;
      background: #f9fafc;
    }
    .rec p {
      margin: 0.25rem 0;
      font-size: 0.95rem;
    }
    .ask {
      margin-top: 1rem;
    }
    .start-over {
      float: right;
    }
    .rec-heading {
      font-size: 1rem;
      margin: 0.75rem 0 0.25rem;
    }
  `,
})
export class ChatPage {
  private readonly api = inject(ApiService);
  private readonly history = inject(ChatHistory);
  private readonly box = viewChild<ElementRef<HTMLTextAreaElement>>('box');

  protected readonly max = MAX_QUERY;
  protected readonly label = humanize;
  private readonly saved = this.history.load();
  private sessionId = this.saved?.sessionId ?? newSessionId();
  readonly turns = signal<Turn[]>(this.saved?.turns ?? []);
  readonly draft = signal('');
  readonly busy = signal(false);
  private readonly categories = rxResource({
    stream: () => this.api.categories(),
    defaultValue: [],
  });
  readonly categoryNames = computed(() =>
    this.categories.hasValue() ? this.categories.value().map((c) => c.name) : [],
  );
  readonly categoriesError = computed(() => loadError(this.categories));
  private nextId = Math.max(0, ...this.turns().map((t) => t.id)) + 1;

  protected articles(a: Answer): Recommendation[] {
    return (a.recommendations ?? []).filter((r) => r.kind !== 'related');
  }

  protected related(a: Answer): Recommendation[] {
    return (a.recommendations ?? []).filter((r) => r.kind === 'related');
  }

  ask(): void {
    const question = this.draft().trim();
    if (!question || this.busy()) return;
    const id = this.add({ question });
    this.draft.set('');
    this.busy.set(true);
    const finish = (patch: Partial<Turn>) => {
      this.patch(id, patch);
      this.busy.set(false);
      this.focusBox();
    };
    send(this.api.ask(question, this.sessionId), {
      done: (answer) =>
        finish({ answer, ...(answer.clarify ? { clarify: { status: 'open' } } : {}) }),
      failed: (err) => finish({ error: describeError(err) }),
    });
  }

  /**
   * Answers the "Did you mean …?" of turn `id` with a category, or null for "Something else", once: the reply
   * comes as the next message. A failure that another try may fix (no connection, a server error) reopens the
   * choice; any other (already chosen, not offered) leaves it closed.
   */
  choose(id: number, category: string | null): void {
    const turn = this.turns().find((t) => t.id === id);
    const answer = turn?.answer;
    if (!turn || !answer?.clarify || (turn.clarify && turn.clarify.status !== 'open')) return;
    this.patch(id, { clarify: { status: 'sending' } });
    send(this.api.clarify(answer.interaction_id, answer.feedback_token, category), {
      done: (reply) => {
        if (!this.turns().some((t) => t.id === id)) return; // the customer started over meanwhile
        this.patch(id, { clarify: { status: 'chosen', choice: category } });
        this.add({ answer: reply, reply: category === null ? 'other' : 'pick' });
        this.focusBox();
      },
      failed: (err) =>
        this.patch(id, {
          clarify: { status: isRetryable(err) ? 'open' : 'closed', error: describeError(err) },
        }),
    });
  }

  /** Clears the conversation, here and in storage, and begins a new session. */
  startOver(): void {
    if (this.busy()) return;
    this.sessionId = newSessionId();
    this.turns.set([]);
    this.history.clear();
    this.focusBox();
  }

  protected patch(id: number, patch: Partial<Turn>): void {
    this.update((turns) => turns.map((t) => (t.id === id ? { ...t, ...patch } : t)));
  }

  private add(turn: Omit<Turn, 'id'>): number {
    const id = this.nextId++;
    this.update((turns) => [...turns, { id, ...turn }]);
    return id;
  }

  private update(change: (turns: Turn[]) => Turn[]): void {
    this.turns.update(change);
    this.history.save({ sessionId: this.sessionId, turns: this.turns() });
  }

  private focusBox(): void {
    this.box()?.nativeElement.focus();
  }
}
