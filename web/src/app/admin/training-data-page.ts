import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { ApiService } from '../core/api.service';
import { Example, ImportSummary } from '../core/api.types';
import { loadError, send } from '../core/api-call';
import { categoryNames, pagedList } from '../core/lists';
import { describeError } from '../core/api-error';
import { humanize } from '../shared/format';
import { CategoryFilter } from '../shared/category-filter';
import { Pager } from '../shared/pager';
import { ImportProblem, importProblem } from './import-report';

/** The training examples: list, search, add, delete, and import a CSV file (all or nothing). */
@Component({
  selector: 'app-training-data-page',
  imports: [FormsModule, CategoryFilter, Pager],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Training data</h1>
    @if (message()) {
      <p class="success" role="status">{{ message() }}</p>
    }
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }

    <div class="grid-2">
      <form class="card" (ngSubmit)="add()" aria-labelledby="add-title">
        <h2 id="add-title">Add an example</h2>
        <label for="ex-text">Customer question</label>
        <textarea id="ex-text" name="text" required [(ngModel)]="newText"></textarea>
        <label for="ex-label">Category</label>
        <input
          id="ex-label"
          name="label"
          type="text"
          list="category-names"
          required
          [(ngModel)]="newLabel"
        />
        <datalist id="category-names">
          @for (c of categories.names(); track c) {
            <option [value]="c"></option>
          }
        </datalist>
        <button type="submit" class="primary" [disabled]="busy()">Add example</button>
      </form>

      <form class="card" (ngSubmit)="importFile()" aria-labelledby="import-title">
        <h2 id="import-title">Import a CSV file</h2>
        <p class="muted">
          A header row <code>text,label</code>, then one example per line (RFC 4180 quoting). All or
          nothing: the first bad line stops the import and nothing is stored.
        </p>
        <label for="csv-file">CSV file</label>
        <input
          #file
          id="csv-file"
          name="file"
          type="file"
          accept=".csv,text/csv"
          (change)="pick(file.files)"
        />
        <button type="submit" class="primary" [disabled]="busy() || !picked()">Import</button>
        @if (summary(); as s) {
          <p class="success import-summary" role="status">
            Imported {{ s.inserted }} of {{ s.received }} examples ({{ s.duplicates }} already
            there).
            @if (s.created_categories.length) {
              New categories: {{ s.created_categories.join(', ') }}.
            }
          </p>
        }
        @if (problem(); as p) {
          <div class="error import-error" role="alert">
            <strong>Import failed, nothing was stored.</strong>
            @if (p.line !== null) {
              <p>Line {{ p.line }} of {{ picked()?.name }}: {{ p.reason }}</p>
            } @else {
              <p>{{ p.reason }}</p>
            }
          </div>
        }
      </form>
    </div>

    <form
      class="card filters"
      (ngSubmit)="load(0)"
      role="search"
      aria-label="Search training examples"
    >
      <div>
        <label for="ex-search">Search text</label>
        <input id="ex-search" name="search" type="search" [(ngModel)]="search" />
      </div>
      <app-category-filter
        inputId="ex-category"
        [names]="categories.names()"
        [(value)]="category"
      />
      <div><button type="submit" class="primary">Search</button></div>
    </form>

    <div class="table-wrap">
      <table>
        <caption class="sr-only">
          Training examples
        </caption>
        <thead>
          <tr>
            <th>Text</th>
            <th>Category</th>
            <th>Source</th>
            <th><span class="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          @for (e of page.items(); track e.id) {
            <tr [attr.data-example]="e.id">
              <td>{{ e.text }}</td>
              <td>{{ label(e.label) }}</td>
              <td>{{ e.source }}</td>
              <td>
                <button
                  type="button"
                  class="danger"
                  (click)="remove(e)"
                  [attr.aria-label]="'Delete example ' + e.id"
                >
                  Delete
                </button>
              </td>
            </tr>
          } @empty {
            <tr>
              <td colspan="4">{{ page.loading() ? 'Loading…' : 'No examples match.' }}</td>
            </tr>
          }
        </tbody>
      </table>
    </div>
    <app-pager [list]="page" (offsetChange)="load($event)" label="Example pages" />
  `,
  styles: `
    .import-error p {
      margin: 0.25rem 0 0;
    }
  `,
})
export class TrainingDataPage {
  private readonly api = inject(ApiService);
  protected readonly label = humanize;
  protected readonly limit = 25;

  protected search = '';
  protected category = '';
  protected newText = '';
  protected newLabel = '';
  // A new object on every search, so that searching again (or after a change) reloads.
  private readonly query = signal({ search: '', category: '', offset: 0 });
  private readonly examples = rxResource({
    params: () => this.query(),
    stream: ({ params }) => this.api.examples({ ...params, limit: this.limit }),
  });
  readonly page = pagedList(this.examples, this.limit);
  protected readonly categories = categoryNames();
  readonly busy = signal(false);
  private readonly actionError = signal('');
  readonly error = computed(
    () => this.actionError() || loadError(this.examples, this.categories.resource),
  );
  readonly message = signal('');
  readonly picked = signal<File | null>(null);
  readonly summary = signal<ImportSummary | null>(null);
  readonly problem = signal<ImportProblem | null>(null);

  load(offset: number): void {
    this.query.set({ search: this.search.trim(), category: this.category, offset });
  }

  private reloadAll(): void {
    this.load(0);
    this.categories.resource.reload();
  }

  add(): void {
    const text = this.newText.trim();
    const label = this.newLabel.trim();
    if (!text || !label) {
      this.actionError.set('Both the question and its category are needed.');
      return;
    }
    send(this.api.addExample(text, label), {
      busy: this.busy,
      error: this.actionError,
      done: () => {
        this.message.set(`Added “${text}” to ${humanize(label)}.`);
        this.newText = '';
        this.reloadAll();
      },
    });
  }

  remove(e: Example): void {
    send(this.api.deleteExample(e.id), {
      error: this.actionError,
      done: () => {
        this.message.set(`Deleted “${e.text}”.`);
        const offset = this.page.offset();
        const emptied = this.page.items().length === 1 && offset > 0;
        this.load(emptied ? offset - this.limit : offset);
      },
    });
  }

  pick(files: FileList | null): void {
    this.picked.set(files?.[0] ?? null);
    this.summary.set(null);
    this.problem.set(null);
  }

  async importFile(): Promise<void> {
    const file = this.picked();
    if (!file) return;
    this.busy.set(true);
    this.summary.set(null);
    this.problem.set(null);
    let text: string;
    try {
      text = await file.text();
    } catch (err) {
      this.busy.set(false);
      this.problem.set({ line: null, reason: `The file could not be read: ${describeError(err)}` });
      return;
    }
    send(this.api.importExamples(text), {
      busy: this.busy,
      done: (s) => {
        this.summary.set(s);
        this.reloadAll();
      },
      failed: (err) => this.problem.set(importProblem(describeError(err))),
    });
  }
}
