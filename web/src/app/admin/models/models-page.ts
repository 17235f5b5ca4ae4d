import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  linkedSignal,
  signal,
} from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { ApiService } from '../../core/api.service';
import { ModelVersion } from '../../core/api.types';
import { latest, loadError, send } from '../../core/api-call';
import { dateTime, percent } from '../../shared/format';
import { ActivateConfirm } from './activate-confirm';
import { ModelComparisons } from './comparison';
import { answeredRight } from './model-report';
import { TrainingPanel } from './training-panel';
import { VersionComparison } from './version-comparison';
import { VersionReport } from './version-report';

/** Model versions with their evaluation, training a new one with live progress, and activation. */
@Component({
  selector: 'app-models-page',
  imports: [ActivateConfirm, TrainingPanel, VersionComparison, VersionReport],
  providers: [ModelComparisons],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Models</h1>
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    @if (message()) {
      <p class="success" role="status">{{ message() }}</p>
    }

    <app-training-panel (trained)="showTrained($event)" />

    <section aria-labelledby="versions-title">
      <h2 id="versions-title">Versions</h2>
      <div class="table-wrap">
        <table class="versions">
          <thead>
            <tr>
              <th>Version</th>
              <th>Kind</th>
              <th>Created</th>
              <th class="num">Accuracy</th>
              <th class="num">Macro-F1</th>
              <th class="num">Answered right</th>
              <th>Status</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            @for (m of models(); track m.version) {
              <tr
                [attr.data-version]="m.version"
                [class.selected]="m.version === selected()?.version"
              >
                <td>{{ m.version }}</td>
                <td class="kind">{{ m.kind || '–' }}</td>
                <td>{{ when(m.created_at) }}</td>
                <td class="num">{{ pct(m.accuracy) }}</td>
                <td class="num">{{ pct(m.macro_f1) }}</td>
                <td class="num answered">{{ answered(m.report) }}</td>
                <td>
                  @if (m.active) {
                    <span class="badge ok">active</span>
                  }
                  @if (m.served && !m.active) {
                    <span class="badge">serving</span>
                  }
                </td>
                <td class="actions">
                  <button
                    type="button"
                    (click)="select(m)"
                    [attr.aria-pressed]="m.version === selected()?.version"
                  >
                    Report
                  </button>
                  @if (!m.active) {
                    <button type="button" class="primary" (click)="confirming.set(m.version)">
                      Activate
                    </button>
                  }
                </td>
              </tr>
              @if (confirming() === m.version) {
                <tr class="confirm-row">
                  <td colspan="8">
                    <app-activate-confirm
                      [model]="m"
                      [active]="activeVersion()"
                      [busy]="activating()"
                      (confirm)="activate($event)"
                      (dismiss)="confirming.set(null)"
                    />
                  </td>
                </tr>
              }
            } @empty {
              <tr>
                <td colspan="8">{{ loading() ? 'Loading…' : 'No model versions yet.' }}</td>
              </tr>
            }
          </tbody>
        </table>
      </div>
    </section>

    @if (selected(); as m) {
      @if (!m.active) {
        <app-version-comparison [version]="m.version" [active]="activeVersion()" />
      }
      <app-version-report [model]="m" />
    }
  `,
  styles: `
    td.kind {
      white-space: nowrap;
    }
    .actions {
      white-space: nowrap;
    }
    .actions button {
      margin: 0 0.25rem 0 0;
    }
    tr.selected td {
      background: #eef3fb;
    }
  `,
})
export class ModelsPage {
  private readonly api = inject(ApiService);
  protected readonly pct = percent;
  protected readonly when = dateTime;
  protected readonly answered = answeredRight;

  private readonly list = rxResource({ stream: () => this.api.models() });
  private readonly loaded = latest(this.list);
  readonly models = computed(() => this.loaded() ?? []);
  readonly loading = computed(() => this.list.isLoading());
  /** The version answering customers, which candidates are compared with. */
  readonly activeVersion = computed(() => this.models().find((m) => m.active)?.version ?? null);
  /** The version asked for (a click, or one just trained), which may arrive with the next list. */
  private readonly wanted = signal<string | null>(null);
  /** The report shown: the one asked for, else the one shown before, else the active version. */
  readonly selected = linkedSignal<
    { items: ModelVersion[]; wanted: string | null },
    ModelVersion | null
  >({
    source: () => ({ items: this.models(), wanted: this.wanted() }),
    computation: ({ items, wanted }, previous) =>
      items.find((m) => m.version === wanted) ??
      items.find((m) => m.version === previous?.value?.version) ??
      items.find((m) => m.active) ??
      items[0] ??
      null,
  });
  readonly activating = signal(false);
  readonly confirming = signal<string | null>(null);
  private readonly actionError = signal('');
  readonly error = computed(() => this.actionError() || loadError(this.list));
  readonly message = signal('');

  select(m: ModelVersion): void {
    this.wanted.set(m.version);
  }

  protected showTrained(version: string): void {
    this.wanted.set(version);
    this.list.reload();
  }

  activate(m: ModelVersion): void {
    send(this.api.activate(m.version), {
      busy: this.activating,
      error: this.actionError,
      done: () => {
        this.confirming.set(null);
        this.message.set(`${m.version} is now active.`);
        this.list.reload();
      },
    });
  }
}
