import { Injectable, computed, inject } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { ApiService } from './api.service';
import { AuthService } from './auth.service';

/**
 * The name of the token the user signed in with ("admin" for the built-in one), read from GET /api/v1/me once per
 * token. Empty while signed out, while loading, and when the server does not say (an older server, a refused
 * token): the header then names nobody, and nothing else depends on it.
 */
@Injectable({ providedIn: 'root' })
export class SignedInUser {
  private readonly auth = inject(AuthService);
  private readonly api = inject(ApiService);
  private readonly me = rxResource({
    params: () => this.auth.token() ?? undefined,
    stream: ({ params }) => this.api.me(params),
  });

  readonly name = computed(() => {
    if (!this.auth.signedIn() || !this.me.hasValue()) return '';
    const name = this.me.value()?.name;
    return typeof name === 'string' ? name : '';
  });
}
