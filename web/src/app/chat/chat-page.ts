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
import { describeError } from '../core/api-error';
import { humanize } from '../shared/format';
import { FeedbackForm } from './feedback-form';

interface Turn {
  id: number;
  question: string;
  answer?: Answer;
  error?: string;
}

const MAX_QUERY = 1000;

/** The customer's help chat: ask, read the answer and its recommendations, leave feedback. */
@Component({
  selector: 'app-chat-page',
  imports: [FeedbackForm],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>How can we help?</h1>
    <p class="muted">Ask about orders, delivery, returns, payments or your account.</p>

    <ol class="conversation" aria-live="polite" aria-label="Conversation">
      @for (turn of turns(); track turn.id) {
        <li class="turn">
          <p class="question"><span class="sr-only">You asked: </span>{{ turn.question }}</p>
          @if (turn.answer; as a) {
            <article class="answer card" [attr.data-interaction]="a.interaction_id">
              @if (a.handoff) {
                <p class="handoff notice" role="status">
                  <strong>A person will follow up.</strong> We have passed your question to our
                  support team.
                </p>
              }
              <p class="response">{{ a.response }}</p>
              <p class="muted meta">
                @if (!a.handoff && !a.small_talk) {
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
              @if (!a.small_talk) {
                <app-feedback-form
                  [interactionId]="a.interaction_id"
                  [token]="a.feedback_token"
                  [suggested]="a.category"
                  [categories]="categoryNames()"
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
    .rec-heading {
      font-size: 1rem;
      margin: 0.75rem 0 0.25rem;
    }
  `,
})
export class ChatPage {
  private readonly api = inject(ApiService);
  private readonly box = viewChild<ElementRef<HTMLTextAreaElement>>('box');

  protected readonly max = MAX_QUERY;
  protected readonly label = humanize;
  readonly turns = signal<Turn[]>([]);
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
  private nextId = 1;

  protected articles(a: Answer): Recommendation[] {
    return (a.recommendations ?? []).filter((r) => r.kind !== 'related');
  }

  protected related(a: Answer): Recommendation[] {
    return (a.recommendations ?? []).filter((r) => r.kind === 'related');
  }

  ask(): void {
    const question = this.draft().trim();
    if (!question || this.busy()) return;
    const id = this.nextId++;
    this.turns.update((t) => [...t, { id, question }]);
    this.draft.set('');
    this.busy.set(true);
    const finish = (patch: Partial<Turn>) => {
      this.turns.update((t) => t.map((turn) => (turn.id === id ? { ...turn, ...patch } : turn)));
      this.busy.set(false);
      this.box()?.nativeElement.focus();
    };
    send(this.api.ask(question), {
      done: (answer) => finish({ answer }),
      failed: (err) => finish({ error: describeError(err) }),
    });
  }
}
