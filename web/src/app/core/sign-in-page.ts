import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { ApiService } from './api.service';
import { AuthService } from './auth.service';
import { describeError } from './api-error';

/** Sign in with the admin token (printed by `shopdesk serve` on first start, kept in DATA_DIR/admin-token). */
@Component({
  selector: 'app-sign-in-page',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Sign in</h1>
    <p>
      The agent console and the admin pages need the admin token. It is kept for this browser
      session only.
    </p>
    @if (reason() === 'expired') {
      <p class="notice" role="status">The server did not accept the token. Please sign in again.</p>
    }
    <form class="card narrow" (ngSubmit)="submit()">
      <label for="token">Admin token</label>
      <input
        id="token"
        name="token"
        type="password"
        autocomplete="current-password"
        required
        [ngModel]="token()"
        (ngModelChange)="token.set($event)"
      />
      <button type="submit" class="primary" [disabled]="busy() || !token().trim()">Sign in</button>
      @if (error()) {
        <p class="error" role="alert">{{ error() }}</p>
      }
    </form>
  `,
})
export class SignInPage {
  readonly returnUrl = input<string>('/agent/review');
  readonly reason = input<string>('');

  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly api = inject(ApiService);

  protected readonly token = signal('');
  protected readonly busy = signal(false);
  protected readonly error = signal('');

  protected async submit(): Promise<void> {
    const token = this.token().trim();
    if (!token) return;
    this.busy.set(true);
    this.error.set('');
    try {
      await firstValueFrom(this.api.checkToken(token));
      this.auth.signIn(token);
      const target =
        this.returnUrl()?.startsWith('/') && !this.returnUrl().startsWith('/sign-in')
          ? this.returnUrl()
          : '/agent/review';
      await this.router.navigateByUrl(target);
    } catch (err) {
      this.error.set(describeError(err));
    } finally {
      this.busy.set(false);
    }
  }
}
