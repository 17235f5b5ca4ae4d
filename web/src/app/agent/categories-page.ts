import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { ApiService } from '../core/api.service';
import { Category, Recommendation } from '../core/api.types';
import { loadError, send } from '../core/api-call';
import { humanize } from '../shared/format';

interface RecDraft {
  title: string;
  body: string;
  actionLabel: string;
  actionUrl: string;
}

interface Draft {
  isNew: boolean;
  name: string;
  description: string;
  response: string;
  smallTalk: boolean;
  recommendations: RecDraft[];
}

/** Recommendations as the API takes them: an action only when both its label and its address are filled in. */
export function toRecommendations(drafts: RecDraft[]): Recommendation[] {
  return drafts
    .filter((r) => r.title.trim() || r.body.trim())
    .map((r) => ({
      title: r.title.trim(),
      body: r.body.trim(),
      action:
        r.actionLabel.trim() && r.actionUrl.trim()
          ? { label: r.actionLabel.trim(), url: r.actionUrl.trim() }
          : null,
    }));
}

/** The editor's draft of a category, or of a new one (`null`). */
function toDraft(c: Category | null): Draft {
  return {
    isNew: c === null,
    name: c?.name ?? '',
    description: c?.description ?? '',
    response: c?.response ?? '',
    smallTalk: c?.small_talk ?? false,
    recommendations: (c?.recommendations ?? []).map((r) => ({
      title: r.title,
      body: r.body,
      actionLabel: r.action?.label ?? '',
      actionUrl: r.action?.url ?? '',
    })),
  };
}

/** Categories with the answer and the recommendations customers get for them. */
@Component({
  selector: 'app-categories-page',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Categories</h1>
    @if (message()) {
      <p class="success" role="status">{{ message() }}</p>
    }
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    <div class="layout">
      <section aria-labelledby="cat-list">
        <h2 id="cat-list">All categories</h2>
        <ul class="cat-list">
          @for (c of categories(); track c.name) {
            <li>
              <button
                type="button"
                class="link-button"
                [attr.aria-current]="draft()?.name === c.name && !draft()?.isNew"
                (click)="edit(c)"
              >
                {{ label(c.name) }}
              </button>
              <span class="muted">{{ c.example_count ?? 0 }} examples</span>
            </li>
          }
        </ul>
        <button type="button" (click)="create()">New category</button>
      </section>

      @if (draft(); as d) {
        <section class="card" aria-labelledby="editor-title">
          <h2 id="editor-title">{{ d.isNew ? 'New category' : 'Edit ' + label(d.name) }}</h2>
          <form (ngSubmit)="save()">
            @if (d.isNew) {
              <label for="c-name">Name (letters, digits and underscores)</label>
              <input
                id="c-name"
                name="name"
                type="text"
                required
                pattern="[a-z0-9_]+"
                [(ngModel)]="d.name"
              />
            }
            <label for="c-description">Description</label>
            <textarea id="c-description" name="description" [(ngModel)]="d.description"></textarea>
            <label for="c-response">Answer customers get</label>
            <textarea id="c-response" name="response" rows="4" [(ngModel)]="d.response"></textarea>
            <label class="check-option">
              <input type="checkbox" name="smallTalk" [(ngModel)]="d.smallTalk" />
              Small talk (greetings, thanks…): the reply alone, no recommendations and no feedback
              form
            </label>
            <h3>Recommendations</h3>
            @for (r of d.recommendations; track $index; let i = $index) {
              <fieldset>
                <legend>Recommendation {{ i + 1 }}</legend>
                <label [for]="'r-title-' + i">Title</label>
                <input
                  [id]="'r-title-' + i"
                  [name]="'r-title-' + i"
                  type="text"
                  [(ngModel)]="r.title"
                />
                <label [for]="'r-body-' + i">Text</label>
                <textarea
                  [id]="'r-body-' + i"
                  [name]="'r-body-' + i"
                  [(ngModel)]="r.body"
                ></textarea>
                <label [for]="'r-label-' + i">Action label (optional)</label>
                <input
                  [id]="'r-label-' + i"
                  [name]="'r-label-' + i"
                  type="text"
                  [(ngModel)]="r.actionLabel"
                />
                <label [for]="'r-url-' + i">Action address (optional)</label>
                <input
                  [id]="'r-url-' + i"
                  [name]="'r-url-' + i"
                  type="text"
                  [(ngModel)]="r.actionUrl"
                />
                <button type="button" class="danger" (click)="removeRec(i)">
                  Remove recommendation {{ i + 1 }}
                </button>
              </fieldset>
            }
            <button type="button" (click)="addRec()">Add recommendation</button>
            <div>
              <button type="submit" class="primary" [disabled]="busy()">Save</button>
              <button type="button" (click)="draft.set(null)">Close</button>
            </div>
          </form>
          @if (!d.isNew) {
            <form class="delete" (ngSubmit)="remove()">
              <h3>Delete</h3>
              <label for="c-reassign">Move its examples and interactions to</label>
              <select id="c-reassign" name="reassign" [(ngModel)]="reassignTo">
                <option value="">(nothing: only when unused)</option>
                @for (c of others(); track c) {
                  <option [value]="c">{{ label(c) }}</option>
                }
              </select>
              <button type="submit" class="danger" [disabled]="busy()">
                Delete {{ label(d.name) }}
              </button>
            </form>
          }
        </section>
      }
    </div>
  `,
  styles: `
    .layout {
      display: grid;
      grid-template-columns: minmax(14rem, 1fr) 2.5fr;
      gap: 1rem;
      align-items: start;
    }
    @media (max-width: 720px) {
      .layout {
        grid-template-columns: 1fr;
      }
    }
    .cat-list {
      list-style: none;
      padding: 0;
      margin: 0;
    }
    .cat-list li {
      display: flex;
      justify-content: space-between;
      gap: 0.5rem;
      padding: 0.2rem 0;
      border-bottom: 1px solid var(--line);
    }
    .cat-list button[aria-current='true'] {
      font-weight: 700;
    }
    .delete {
      border-top: 1px solid var(--line);
      margin-top: 1rem;
    }
  `,
})
export class CategoriesPage {
  private readonly api = inject(ApiService);
  protected readonly label = humanize;

  private readonly list = rxResource({ stream: () => this.api.categories(), defaultValue: [] });
  readonly categories = computed(() => (this.list.hasValue() ? this.list.value() : []));
  readonly draft = signal<Draft | null>(null);
  readonly busy = signal(false);
  private readonly actionError = signal('');
  readonly error = computed(() => this.actionError() || loadError(this.list));
  readonly message = signal('');
  protected reassignTo = '';
  protected readonly others = computed(() =>
    this.categories()
      .map((c) => c.name)
      .filter((n) => n !== this.draft()?.name),
  );

  edit(c: Category): void {
    this.message.set('');
    this.actionError.set('');
    this.reassignTo = '';
    this.draft.set(toDraft(c));
  }

  create(): void {
    this.message.set('');
    this.draft.set(toDraft(null));
  }

  addRec(): void {
    this.draft()?.recommendations.push({ title: '', body: '', actionLabel: '', actionUrl: '' });
  }

  removeRec(i: number): void {
    this.draft()?.recommendations.splice(i, 1);
  }

  save(): void {
    const d = this.draft();
    if (!d) return;
    const name = d.name.trim();
    if (!name) {
      this.actionError.set('A category needs a name.');
      return;
    }
    const input = {
      description: d.description,
      response: d.response,
      small_talk: d.smallTalk,
      recommendations: toRecommendations(d.recommendations),
    };
    send(this.api.saveCategory(name, input), {
      busy: this.busy,
      error: this.actionError,
      done: (saved) => {
        this.message.set(`Saved ${humanize(saved.name ?? name)}.`);
        this.draft.update((x) => (x ? { ...x, isNew: false, name } : x));
        this.list.reload();
      },
    });
  }

  remove(): void {
    const d = this.draft();
    if (!d) return;
    send(this.api.deleteCategory(d.name, this.reassignTo || undefined), {
      busy: this.busy,
      error: this.actionError,
      done: () => {
        this.message.set(`Deleted ${humanize(d.name)}.`);
        this.draft.set(null);
        this.list.reload();
      },
    });
  }
}
