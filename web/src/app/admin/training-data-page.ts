import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ApiService } from '../core/api.service';
import { Example, ImportSummary } from '../core/api.types';
import { describeError } from '../core/api-error';
import { humanize } from '../shared/format';
import { Pager } from '../shared/pager';
import { ImportProblem, importProblem } from './import-report';

/** The training examples: list, search, add, delete, and import a CSV file (all or nothing). */
@Component({
  selector: 'app-training-data-page',
  imports: [FormsModule, Pager],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Training data</h1>
    @if (message()) { <p class="success" role="status">{{ message() }}</p> }
    @if (error()) { <p class="error" role="alert">{{ error() }}</p> }

    <div class="grid-2">
      <form class="card" (ngSubmit)="add()" aria-labelledby="add-title">
        <h2 id="add-title">Add an example</h2>
        <label for="ex-text">Customer question</label>
        <textarea id="ex-text" name="text" required [(ngModel)]="newText"></textarea>
        <label for="ex-label">Category</label>
        <input id="ex-label" name="label" type="text" list="category-names" required [(ngModel)]="newLabel" />
        <datalist id="category-names">
          @for (c of categories(); track c) { <option [value]="c"></option> }
        </datalist>
        <button type="submit" class="primary" [disabled]="busy()">Add example</button>
      </form>

      <form class="card" (ngSubmit)="importFile()" aria-labelledby="import-title">
        <h2 id="import-title">Import a CSV file</h2>
        <p class="muted">A header row <code>text,label</code>, then one example per line (RFC 4180 quoting).
          All or nothing: the first bad line stops the import and nothing is stored.</p>
        <label for="csv-file">CSV file</label>
        <input #file id="csv-file" name="file" type="file" accept=".csv,text/csv" (change)="pick(file.files)" />
        <button type="submit" class="primary" [disabled]="busy() || !picked()">Import</button>
        @if (summary(); as s) {
          <p class="success import-summary" role="status">Imported {{ s.inserted }} of {{ s.received }} examples
            ({{ s.duplicates }} already there).
            @if (s.created_categories.length) { New categories: {{ s.created_categories.join(', ') }}. }</p>
        }
        @if (problem(); as p) {
          <div class="error import-error" role="alert">
            <strong>Import failed, nothing was stored.</strong>
            @if (p.line !== null) { <p>Line {{ p.line }} of {{ picked()?.name }}: {{ p.reason }}</p> }
            @else { <p>{{ p.reason }}</p> }
          </div>
        }
      </form>
    </div>

    <form class="card filters" (ngSubmit)="load(0)" role="search" aria-label="Search training examples">
      <div>
        <label for="ex-search">Search text</label>
        <input id="ex-search" name="search" type="search" [(ngModel)]="search" />
      </div>
      <div>
        <label for="ex-category">Category</label>
        <select id="ex-category" name="category" [(ngModel)]="category">
          <option value="">Any</option>
          @for (c of categories(); track c) { <option [value]="c">{{ label(c) }}</option> }
        </select>
      </div>
      <div><button type="submit" class="primary">Search</button></div>
    </form>

    <div class="table-wrap">
      <table>
        <caption class="sr-only">Training examples</caption>
        <thead><tr><th>Text</th><th>Category</th><th>Source</th><th><span class="sr-only">Actions</span></th></tr></thead>
        <tbody>
          @for (e of items(); track e.id) {
            <tr [attr.data-example]="e.id">
              <td>{{ e.text }}</td>
              <td>{{ label(e.label) }}</td>
              <td>{{ e.source }}</td>
              <td><button type="button" class="danger" (click)="remove(e)" [attr.aria-label]="'Delete example ' + e.id">Delete</button></td>
            </tr>
          } @empty {
            <tr><td colspan="4">{{ loading() ? 'Loading…' : 'No examples match.' }}</td></tr>
          }
        </tbody>
      </table>
    </div>
    <app-pager [total]="total()" [limit]="limit" [offset]="offset()" (offsetChange)="load($event)" label="Example pages" />
  `,
  styles: `.import-error p { margin: 0.25rem 0 0; }`,
})
export class TrainingDataPage {
  private readonly api = inject(ApiService);
  protected readonly label = humanize;
  protected readonly limit = 25;

  protected search = '';
  protected category = '';
  protected newText = '';
  protected newLabel = '';
  readonly items = signal<Example[]>([]);
  readonly total = signal(0);
  readonly offset = signal(0);
  readonly loading = signal(true);
  readonly busy = signal(false);
  readonly error = signal('');
  readonly message = signal('');
  readonly categories = signal<string[]>([]);
  readonly picked = signal<File | null>(null);
  readonly summary = signal<ImportSummary | null>(null);
  readonly problem = signal<ImportProblem | null>(null);

  constructor() {
    this.loadCategories();
    this.load(0);
  }

  private loadCategories(): void {
    this.api.categories().subscribe({
      next: (c) => this.categories.set(c.map((x) => x.name)),
      error: (err: unknown) => this.error.set(describeError(err)),
    });
  }

  load(offset: number): void {
    this.loading.set(true);
    this.api.examples({ search: this.search.trim(), category: this.category, limit: this.limit, offset }).subscribe({
      next: (page) => {
        this.items.set(page.items);
        this.total.set(page.total);
        this.offset.set(page.offset);
        this.loading.set(false);
      },
      error: (err: unknown) => {
        this.loading.set(false);
        this.error.set(describeError(err));
      },
    });
  }

  add(): void {
    const text = this.newText.trim();
    const label = this.newLabel.trim();
    if (!text || !label) {
      this.error.set('Both the question and its category are needed.');
      return;
    }
    this.busy.set(true);
    this.error.set('');
    this.api.addExample(text, label).subscribe({
      next: () => {
        this.busy.set(false);
        this.message.set(`Added “${text}” to ${humanize(label)}.`);
        this.newText = '';
        this.load(0);
        this.loadCategories();
      },
      error: (err: unknown) => {
        this.busy.set(false);
        this.error.set(describeError(err));
      },
    });
  }

  remove(e: Example): void {
    this.error.set('');
    this.api.deleteExample(e.id).subscribe({
      next: () => {
        this.message.set(`Deleted “${e.text}”.`);
        this.load(this.items().length === 1 && this.offset() > 0 ? this.offset() - this.limit : this.offset());
      },
      error: (err: unknown) => this.error.set(describeError(err)),
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
    this.api.importExamples(text).subscribe({
      next: (s) => {
        this.busy.set(false);
        this.summary.set(s);
        this.load(0);
        this.loadCategories();
      },
      error: (err: unknown) => {
        this.busy.set(false);
        this.problem.set(importProblem(describeError(err)));
      },
    });
  }
}
