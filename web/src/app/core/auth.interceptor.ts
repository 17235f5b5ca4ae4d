import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';
import { AuthService } from './auth.service';

/** Routes customers use without a token; everything else under /api/ is for agents and admins. */
export function isCustomerRoute(method: string, url: string): boolean {
  const path = url.replace(/^https?:\/\/[^/]+/, '').split('?')[0];
  if (method === 'POST' && (path === '/api/v1/answers' || path === '/query')) return true;
  if (method === 'POST' && /^\/api\/v1\/interactions\/\d+\/feedback$/.test(path)) return true;
  if (method === 'GET' && path === '/api/v1/categories') return true;
  return !path.startsWith('/api/');
}

/**
 * Adds `Authorization: Bearer <token>` to agent and admin requests. When the server refuses the token (401, or
 * 403 for a wrong one) the token is forgotten and the user is sent to sign in, coming back here afterwards.
 */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  // Customer routes need no token; a request that brings its own (the sign-in check) is left alone.
  if (isCustomerRoute(req.method, req.url) || req.headers.has('Authorization')) return next(req);

  const token = auth.token();
  const authed = token ? req.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : req;
  return next(authed).pipe(
    catchError((err: unknown) => {
      if (err instanceof HttpErrorResponse && (err.status === 401 || err.status === 403)) {
        auth.signOut();
        const returnUrl = router.url && !router.url.startsWith('/sign-in') ? router.url : '/agent/review';
        void router.navigate(['/sign-in'], { queryParams: { returnUrl, reason: 'expired' } });
      }
      return throwError(() => err);
    }),
  );
};
