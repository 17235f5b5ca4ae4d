import { HttpErrorResponse } from '@angular/common/http';

/** Turns anything an API call can fail with into a sentence a person can read. */
export function describeError(err: unknown): string {
  if (err instanceof HttpErrorResponse) {
    const fromBody = messageFromBody(err.error);
    if (fromBody) return fromBody;
    if (err.status === 0)
      return 'The server could not be reached. Check the connection and try again.';
    if (err.status === 401 || err.status === 403) return 'Please sign in with a valid admin token.';
    if (err.status === 404) return 'Not found.';
    if (err.status === 413) return 'That is too large for the server to accept.';
    if (err.status === 503) return 'The service is not ready yet. Please try again in a moment.';
    if (err.status >= 500) return `The server had a problem (${err.status}). Please try again.`;
    return `The request failed (${err.status}${err.statusText ? ' ' + err.statusText : ''}).`;
  }
  if (err instanceof Error && err.message) return err.message;
  if (typeof err === 'string' && err) return err;
  return 'Something went wrong.';
}

/** The API's own message from `{"error": {"code", "message"}}`, whether parsed or still text. */
function messageFromBody(body: unknown): string | null {
  if (typeof body === 'string') {
    try {
      return messageFromBody(JSON.parse(body));
    } catch {
      return null;
    }
  }
  if (body && typeof body === 'object' && 'error' in body) {
    const inner = (body as { error: unknown }).error;
    if (inner && typeof inner === 'object' && 'message' in inner) {
      const message = (inner as { message: unknown }).message;
      if (typeof message === 'string' && message.trim()) return message;
    }
  }
  return null;
}

/** The API's error code (`conflict`, `not_found`, …) when there is one. */
export function errorCode(err: unknown): string | null {
  if (!(err instanceof HttpErrorResponse)) return null;
  let body: unknown = err.error;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return null;
    }
  }
  const inner = (body as { error?: { code?: unknown } } | null)?.error;
  return typeof inner?.code === 'string' ? inner.code : null;
}

/**
 * True when the same request may well succeed if sent again: the server was not reached, turned it away for now
 * (429, too many requests) or failed (5xx).
 */
export function isRetryable(err: unknown): boolean {
  return (
    err instanceof HttpErrorResponse &&
    (err.status === 0 || err.status === 429 || err.status >= 500)
  );
}
