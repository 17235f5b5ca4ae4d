import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { ApiService } from '../../core/api.service';
import { AUDIT_ACTIONS, AuditAction, AuditFilters } from '../../core/api.types';
import { loadError } from '../../core/api-call';
import { pagedList } from '../../core/lists';
import { Pager } from '../../shared/pager';
import { auditTime, detailPairs } from './audit-format';

interface FilterForm {
  actor: string;
  action: AuditAction | '';
}

/** Every admin action, newest first, filtered by actor and action. */
@Component({
  selector: 'app-audit-log',
  imports: [FormsModule, Pager],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <form class="card filters" (ngSubmit)="apply()" role="search" aria-label="Audit log filters">
        <div>
          <label for="audit-actor">Actor</label>
          <input
            id="audit-actor"
            name="actor"
            type="text"
            autocomplete="off"
            placeholder="a token's name, or cli"
            [(ngModel)]="form.actor"
          />
        </div>
        <div>
          <label for="audit-action">Action</label>
          <select id="audit-action" name="action" [(ngModel)]="form.action">
            <option value="">any</option>
            @for (a of actions; track a) {
              <option [value]="a">{{ a }}</option>
            }
          </select>
        </div>
        <div>
          <button type="submit" class="primary">Apply</button>
          <button type="button" (click)="reset()">Reset</button>
        </div>
      </form>

      @if (error()) {
        <p class="error" role="alert">{{ error() }}</p>
      }
      @if (page.loading()) {
        <p class="muted" role="status">Loading…</p>
      }
      <div class="table-wrap">
        <table class="audit">
          <caption class="sr-only">
            Audit log
          </caption>
          <thead>
            <tr>
              <th>Time</th>
              <th>Actor</th>
              <th>Action</th>
              <th>Target</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            @for (e of rows(); track e.id) {
              <tr [attr.data-audit]="e.id">
                <td class="time">
                  <time [attr.datetime]="e.iso">{{ e.time }}</time>
                </td>
                <td class="nowrap">{{ e.actor }}</td>
                <td class="nowrap">{{ e.action }}</td>
                <td class="target">{{ e.target || '–' }}</td>
                <td class="detail">
                  @for (p of e.pairs; track $index) {
                    <span class="pair">
                      <span class="key">{{ p.key }}: </span>
                      <span class="value" [attr.title]="p.full">{{ p.text }}</span>
                    </span>
                  } @empty {
                    –
                  }
                </td>
              </tr>
            } @empty {
              @if (!page.loading()) {
                <tr>
                  <td colspan="5">No actions match.</td>
                </tr>
              }
            }
          </tbody>
        </table>
      </div>
      <app-pager [list]="page" (offsetChange)="load($event)" label="Audit log pages" />
    </section>
  `,
  styles: `
    .time,
    .nowrap {
      white-space: nowrap;
    }
    .target {
      min-width: 7rem;
    }
    .detail {
      font-size: 0.9rem;
    }
    .pair {
      display: inline-block;
      margin-right: 0.75rem;
      overflow-wrap: anywhere;
    }
    .key {
      color: var(--muted);
    }
    .value[title] {
      cursor: help;
      text-decoration: underline dotted;
    }
  `,
})
export class AuditLog {
  private readonly api = inject(ApiService);
  protected readonly actions = AUDIT_ACTIONS;
  protected readonly limit = 50;

  /** Bumped by the page after an action of its own, so that the log shows the new entry. */
  readonly revision = input(0);

  protected form: FilterForm = { actor: '', action: '' };
  // A new object on every search, so that searching again reloads even when nothing changed.
  private readonly query = signal<{ filters: AuditFilters; offset: number }>({
    filters: {},
    offset: 0,
  });
  private readonly list = rxResource({
    params: () => ({ ...this.query(), revision: this.revision() }),
    stream: ({ params }) =>
      this.api.audit({ ...params.filters, limit: this.limit, offset: params.offset }),
  });
  readonly page = pagedList(this.list, this.limit);
  readonly rows = computed(() =>
    this.page.items().map((e) => ({
      ...e,
      time: auditTime(e.at),
      iso: new Date(e.at).toISOString(),
      pairs: detailPairs(e.detail),
    })),
  );
  readonly error = computed(() => loadError(this.list));

  apply(): void {
    this.query.set({
      filters: { actor: this.form.actor.trim(), action: this.form.action },
      offset: 0,
    });
  }

  reset(): void {
    this.form = { actor: '', action: '' };
    this.query.set({ filters: {}, offset: 0 });
  }

  load(offset: number): void {
    this.query.set({ filters: this.query().filters, offset });
  }
}
