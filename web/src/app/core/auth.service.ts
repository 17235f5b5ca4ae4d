import { Injectable, computed, signal } from '@angular/core';

const KEY = 'shopdesk.adminToken';

/** The admin token, kept for the browser session (sessionStorage) only. */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly storage: Storage | null = typeof sessionStorage === 'undefined' ? null : sessionStorage;
  private readonly tokenSignal = signal<string | null>(this.storage?.getItem(KEY) ?? null);

  readonly token = this.tokenSignal.asReadonly();
  readonly signedIn = computed(() => !!this.tokenSignal());

  signIn(token: string): void {
    const trimmed = token.trim();
    this.storage?.setItem(KEY, trimmed);
    this.tokenSignal.set(trimmed);
  }

  signOut(): void {
    this.storage?.removeItem(KEY);
    this.tokenSignal.set(null);
  }
}
