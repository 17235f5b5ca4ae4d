import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Observable, catchError, of, switchMap, tap, throwError } from 'rxjs';
import { ApiService } from '../../core/api.service';
import { Topic, TopicAssignment } from '../../core/api.types';
import { send } from '../../core/api-call';
import { describeError } from '../../core/api-error';
import { count } from '../../shared/format';
import { categoryNameFrom, categoryNameProblem } from './category-name';

/** The most questions a card quotes. */
const QUOTED = 5;

/** "1 question", "12 questions". */
export function questionCount(n: number): string {
  return `${count(n)} question${n === 1 ? '' : 's'}`;
}

/** " (2 skipped: already reviewed or erased)", or '' when none were. */
function skippedNote(r: TopicAssignment): string {
  return r.skipped > 0 ? ` (${count(r.skipped)} skipped: already reviewed or erased)` : '';
}

/** What the status line says once a topic's questions are filed under an existing category. */
export function addedText(r: TopicAssignment, category: string): string {
  return `${questionCount(r.assigned)} added to ${category}${skippedNote(r)}`;
}

/** What the status line says once a topic became a new category. */
export function createdText(r: TopicAssignment, category: string): string {
  return `Category ${category} created with ${questionCount(r.assigned)}${skippedNote(r)}`;
}

/**
 * One unanswered topic: its size, keywords, a few of its questions and the category it is closest to, with two
 * ways to deal with it: file its questions under that category, or create a category for them. Either way the
 * card says so through `resolved` (the status line's text), and the panel drops it.
 */
@Component({
  selector: 'app-topic-card',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let t = topic();
    <article class="topic" [attr.data-topic]="t.id" [attr.aria-labelledby]="prefix() + '-title'">
      <header>
        <h3 [id]="prefix() + '-title'">{{ size() }}</h3>
        @if (t.new) {
          <span class="badge warn" title="Far from every category">New</span>
        }
        @if (t.closest; as c) {
          <span class="closest">
            Closest category: <strong>{{ c.category }}</strong>,
            <span class="muted">similarity {{ c.similarity.toFixed(2) }}</span>
          </span>
        }
      </header>
      @if (t.keywords.length) {
        <ul class="keywords" aria-label="Keywords">
          @for (k of t.keywords; track $index) {
            <li class="chip">{{ k }}</li>
          }
        </ul>
      }
      <ul class="questions" aria-label="Questions asked">
        @for (q of quoted(); track $index) {
          <li>“{{ q }}”</li>
        }
      </ul>

      @if (error()) {
        <p class="error" role="alert">{{ error() }}</p>
      }
      <div class="actions">
        @if (t.closest; as c) {
          <button type="button" class="primary" [disabled]="busy()" (click)="add(c.category)">
            Add to {{ c.category }}
          </button>
        }
        @if (!formOpen()) {
          <button type="button" [disabled]="busy()" (click)="openForm()">New category…</button>
        }
      </div>

      @if (formOpen()) {
        <form
          class="new-category"
          (ngSubmit)="createAndAdd()"
          [attr.aria-labelledby]="prefix() + '-form-title'"
        >
          <h4 [id]="prefix() + '-form-title'">New category for these questions</h4>
          <label [for]="prefix() + '-name'">Name</label>
          <input
            [id]="prefix() + '-name'"
            name="name"
            type="text"
            autocomplete="off"
            spellcheck="false"
            maxlength="100"
            [attr.aria-describedby]="prefix() + '-name-hint'"
            [attr.aria-invalid]="invalidName() || null"
            [(ngModel)]="name"
          />
          <p [id]="prefix() + '-name-hint'" class="muted">
            Lower-case letters, digits and "_", such as gift_wrapping.
          </p>
          <label [for]="prefix() + '-response'">Answer customers get</label>
          <textarea
            [id]="prefix() + '-response'"
            name="response"
            rows="3"
            required
            maxlength="5000"
            [attr.aria-invalid]="invalidResponse() || null"
            [(ngModel)]="response"
          ></textarea>
          <label [for]="prefix() + '-description'">Description (optional)</label>
          <input
            [id]="prefix() + '-description'"
            name="description"
            type="text"
            autocomplete="off"
            maxlength="500"
            [(ngModel)]="description"
          />
          <div>
            <button type="submit" class="primary" [disabled]="busy()">Create and add</button>
            @if (addExisting(); as x) {
              <button type="button" [disabled]="busy()" (click)="add(x)">Add to {{ x }}</button>
            }
            <button type="button" [disabled]="busy()" (click)="closeForm()">Cancel</button>
          </div>
        </form>
      }
    </article>
  `,
  styles: `
    .topic {
      border: 1px solid var(--line);
      border-radius: 6px;
      padding: 0.75rem;
      margin: 0.75rem 0 0;
    }
    header {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 0.25rem 0.75rem;
    }
    h3 {
      margin: 0;
    }
    h4 {
      margin: 0.75rem 0 0;
    }
    .closest {
      overflow-wrap: anywhere;
    }
    .keywords {
      list-style: none;
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem;
      margin: 0.5rem 0;
      padding: 0;
    }
    .chip {
      font-size: 0.8rem;
      padding: 0.05rem 0.45rem;
      border: 1px solid var(--line);
      border-radius: 4px;
      background: #f3f6fb;
      overflow-wrap: anywhere;
    }
    .questions {
      list-style: none;
      margin: 0.5rem 0;
      padding: 0 0 0 0.75rem;
      border-left: 3px solid var(--line);
    }
    .questions li {
      margin: 0.15rem 0;
      overflow-wrap: anywhere;
    }
    .new-category {
      max-width: 36rem;
    }
  `,
})
export class TopicCard {
  private readonly api = inject(ApiService);

  readonly topic = input.required<Topic>();
  /** The topic's questions went into a category: what the status line should say. */
  readonly resolved = output<string>();

  protected readonly prefix = computed(() => `topic-${this.topic().id}`);
  protected readonly size = computed(() => questionCount(this.topic().size));
  protected readonly quoted = computed(() => this.topic().questions.slice(0, QUOTED));

  readonly busy = signal(false);
  readonly error = signal('');
  readonly formOpen = signal(false);
  readonly invalidName = signal(false);
  readonly invalidResponse = signal(false);
  /** The name asked for when a category of that name exists already (offered as "Add to …" instead). */
  readonly existing = signal('');
  /** `existing`, unless the card's own "Add to" button offers it already. */
  protected readonly addExisting = computed(() => {
    const x = this.existing();
    return x && x !== this.topic().closest?.category ? x : '';
  });
  /** The category this card created, when filing the questions under it failed afterwards: not created again. */
  private created = '';

  protected name = '';
  protected response = '';
  protected description = '';

  /** Files the topic's questions under `category`, once the user confirms. */
  add(category: string): void {
    const ids = this.topic().interaction_ids;
    const question = `Add ${questionCount(ids.length)} as training examples of ${category}?`;
    if (!window.confirm(question)) return;
    send(this.api.assignTopic(category, ids), {
      busy: this.busy,
      error: this.error,
      done: (r) => this.resolved.emit(addedText(r, category)),
    });
  }

  /** Opens the form, filled in from the keywords: the top one as the name, all of them as the description. */
  openForm(): void {
    const keywords = this.topic().keywords;
    this.name = categoryNameFrom(keywords[0] ?? '');
    this.description = keywords.join(', ');
    this.response = '';
    this.existing.set('');
    this.invalidName.set(false);
    this.invalidResponse.set(false);
    this.error.set('');
    this.formOpen.set(true);
  }

  closeForm(): void {
    this.formOpen.set(false);
    this.existing.set('');
    this.error.set('');
  }

  /**
   * Creates the category (unless one of that name exists: a PUT would replace it) and files the topic's questions
   * under it.
   */
  createAndAdd(): void {
    const name = this.name.trim();
    const response = this.response.trim();
    const problem =
      categoryNameProblem(name) || (response ? '' : 'Write the answer customers get.');
    this.invalidName.set(!!categoryNameProblem(name));
    this.invalidResponse.set(!response);
    this.existing.set('');
    if (problem) {
      this.error.set(problem);
      return;
    }
    const ids = this.topic().interaction_ids;
    const category$: Observable<unknown> =
      this.created === name
        ? of(null)
        : this.api.categories().pipe(
            switchMap((list) => {
              if (list.some((c) => c.name === name)) {
                this.existing.set(name);
                return throwError(
                  () => new Error(`A category named ${name} exists: use “Add to ${name}”.`),
                );
              }
              return this.api.saveCategory(name, {
                description: this.description.trim(),
                response,
              });
            }),
            tap(() => (this.created = name)),
          );
    const call = category$.pipe(
      switchMap(() =>
        this.api
          .assignTopic(name, ids)
          .pipe(
            catchError((err: unknown) =>
              throwError(
                () =>
                  new Error(
                    `Category ${name} was created, but the questions were not added to it: ${describeError(err)}`,
                  ),
              ),
            ),
          ),
      ),
    );
    send(call, {
      busy: this.busy,
      error: this.error,
      done: (r) => this.resolved.emit(createdText(r, name)),
    });
  }
}
