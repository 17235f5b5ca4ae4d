import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  output,
  signal,
} from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { ApiService } from '../../core/api.service';
import { CreatedToken, NamedToken } from '../../core/api.types';
import { loadError, send } from '../../core/api-call';
import { describeError } from '../../core/api-error';
import { SignedInUser } from '../../core/signed-in-user';
import { dateTime } from '../../shared/format';

const NAME = /^[A-Za-z0-9._-]+$/;

/** Why the server would refuse `name` for a token (1–64 letters, digits, '.', '_', '-'), or '' when it is fine. */
export function tokenNameProblem(name: string): string {
  if (!name) return 'Give the token a name.';
  if (name.length > 64) return 'A token name is 64 characters at most.';
  if (!NAME.test(name)) return 'A token name holds only letters, digits, ".", "_" and "-".';
  return '';
}

/** "active", or "revoked" and when. */
export function tokenStatus(t: NamedToken): string {
  return t.revoked_at === null ? 'active' : `revoked ${dateTime(t.revoked_at)}`;
}

/** The clipboard when the browser offers one (not on plain http away from localhost). */
function clipboard(): Clipboard | null {
  return typeof navigator !== 'undefined' && navigator.clipboard ? navigator.clipboard : null;
}

/** The named admin tokens: list, create (the secret is shown once) and revoke. */
@Component({
  selector: 'app-token-list',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section aria-labelledby="tokens-title">
      <h2 id="tokens-title">Tokens</h2>
      <p class="muted">
        One token per agent, so that the audit log says who did what. The built-in token given to
        <code>shopdesk serve</code> is called "admin"; it is not listed and cannot be revoked here.
      </p>
      @if (message()) {
        <p class="success" role="status">{{ message() }}</p>
      }
      @if (error()) {
        <p class="error" role="alert">{{ error() }}</p>
      }
      @if (created(); as c) {
        <div class="notice secret" role="region" aria-labelledby="secret-title">
          <h3 id="secret-title">New token for {{ c.name }}</h3>
          <p><strong>Copy it now: it is not shown again.</strong></p>
          <code class="secret-value" data-secret>{{ c.token }}</code>
          <div>
            @if (canCopy) {
              <button type="button" (click)="copy(c.token)">Copy</button>
            } @else {
              <p class="muted">Select the token and copy it.</p>
            }
            <button type="button" (click)="dismiss()">Done</button>
          </div>
          @if (copyNote()) {
            <p class="muted" role="status">{{ copyNote() }}</p>
          }
        </div>
      }

      <form class="card new-token" (ngSubmit)="create()" aria-labelledby="new-token-title">
        <h3 id="new-token-title">New token</h3>
        <label for="token-name">Name</label>
        <input
          id="token-name"
          name="name"
          type="text"
          autocomplete="off"
          spellcheck="false"
          aria-describedby="token-name-hint"
          [attr.aria-invalid]="invalid() || null"
          [(ngModel)]="name"
        />
        <p id="token-name-hint" class="muted">
          1–64 letters, digits, ".", "_" or "-", such as the agent's name.
        </p>
        <button type="submit" class="primary" [disabled]="busy()">Create token</button>
      </form>

      <div class="table-wrap">
        <table class="tokens">
          <caption class="sr-only">
            Tokens
          </caption>
          <thead>
            <tr>
              <th>Name</th>
              <th>Created</th>
              <th>Created by</th>
              <th>Status</th>
              <th><span class="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            @for (t of tokens(); track t.name + ' ' + t.created_at) {
              <tr [attr.data-token]="t.name" [class.revoked]="t.revoked_at !== null">
                <td>{{ t.name }}</td>
                <td>{{ when(t.created_at) }}</td>
                <td>{{ t.created_by }}</td>
                <td>
                  @if (t.revoked_at === null) {
                    <span class="badge ok">active</span>
                  } @else {
                    {{ status(t) }}
                  }
                </td>
                <td>
                  @if (t.revoked_at === null) {
                    <button
                      type="button"
                      class="danger"
                      [disabled]="busy()"
                      [attr.aria-label]="'Revoke ' + t.name"
                      (click)="revoke(t)"
                    >
                      Revoke
                    </button>
                  }
                </td>
              </tr>
            } @empty {
              <tr>
                <td colspan="5">{{ list.isLoading() ? 'Loading…' : 'No named tokens yet.' }}</td>
              </tr>
            }
          </tbody>
        </table>
      </div>
    </section>
  `,
  styles: `
    .new-token {
      max-width: 28rem;
    }
    .secret {
      margin-bottom: 1rem;
    }
    .secret h3 {
      margin-top: 0.25rem;
    }
    .secret-value {
      display: block;
      padding: 0.5rem;
      background: #fff;
      border: 1px solid var(--line);
      border-radius: 6px;
      overflow-wrap: anywhere;
      user-select: all;
    }
    tr.revoked td {
      color: var(--muted);
    }
  `,
})
export class TokenList {
  private readonly api = inject(ApiService);
  private readonly user = inject(SignedInUser);
  protected readonly when = dateTime;
  protected readonly status = tokenStatus;
  protected readonly canCopy = clipboard() !== null;

  /** A token was created or revoked (the audit log has a new entry). */
  readonly changed = output<void>();

  protected name = '';
  readonly list = rxResource({ stream: () => this.api.tokens(), defaultValue: [] });
  readonly tokens = computed(() => (this.list.hasValue() ? this.list.value() : []));
  readonly busy = signal(false);
  private readonly actionError = signal('');
  readonly error = computed(() => this.actionError() || loadError(this.list));
  readonly invalid = signal(false);
  readonly message = signal('');
  /** The token just created, secret and all; dropped for good on "Done" or when the page is left. */
  readonly created = signal<CreatedToken | null>(null);
  readonly copyNote = signal('');

  create(): void {
    const name = this.name.trim();
    const problem = tokenNameProblem(name);
    this.invalid.set(!!problem);
    this.message.set('');
    if (problem) {
      this.actionError.set(problem);
      return;
    }
    this.created.set(null);
    this.copyNote.set('');
    send(this.api.createToken(name), {
      busy: this.busy,
      error: this.actionError,
      done: (token) => {
        this.created.set(token);
        this.name = '';
        this.after();
      },
    });
  }

  revoke(t: NamedToken): void {
    const own =
      t.name === this.user.name()
        ? ' It is the token you are signed in with: you will be signed out.'
        : '';
    const question = `Revoke the token "${t.name}"? Whoever uses it is refused from their next request on.${own}`;
    if (!window.confirm(question)) return;
    this.message.set('');
    send(this.api.revokeToken(t.name), {
      busy: this.busy,
      error: this.actionError,
      done: () => {
        this.message.set(`Revoked "${t.name}".`);
        this.after();
      },
      // 404: revoked meanwhile (by someone else); the list shows how things stand.
      failed: (err) => {
        this.actionError.set(describeError(err));
        this.list.reload();
      },
    });
  }

  dismiss(): void {
    this.created.set(null);
    this.copyNote.set('');
  }

  async copy(secret: string): Promise<void> {
    const board = clipboard();
    try {
      if (!board) throw new Error('no clipboard');
      await board.writeText(secret);
      this.copyNote.set('Copied to the clipboard.');
    } catch {
      this.copyNote.set('Could not copy: select the token and copy it.');
    }
  }

  private after(): void {
    this.invalid.set(false);
    this.list.reload();
    this.changed.emit();
  }
}
