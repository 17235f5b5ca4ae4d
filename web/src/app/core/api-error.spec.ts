import { HttpErrorResponse } from '@angular/common/http';
import { describeError, errorCode, isRetryable } from './api-error';

describe('describeError', () => {
  it('shows the API message from {"error": {"code", "message"}}', () => {
    const err = new HttpErrorResponse({
      status: 422,
      error: { error: { code: 'invalid_file', message: "upload:3: empty 'text'" } },
    });
    expect(describeError(err)).toBe("upload:3: empty 'text'");
    expect(errorCode(err)).toBe('invalid_file');
  });

  it('reads the message from a body that is still JSON text', () => {
    const err = new HttpErrorResponse({
      status: 409,
      error: '{"error":{"code":"conflict","message":"a job is running"}}',
    });
    expect(describeError(err)).toBe('a job is running');
    expect(errorCode(err)).toBe('conflict');
  });

  it('explains an unreachable server', () => {
    expect(
      describeError(new HttpErrorResponse({ status: 0, error: new ProgressEvent('error') })),
    ).toMatch(/could not be reached/);
  });

  it('falls back to the status when the body says nothing', () => {
    expect(describeError(new HttpErrorResponse({ status: 503 }))).toMatch(/not ready/);
    expect(
      describeError(new HttpErrorResponse({ status: 500, error: '<html>oops</html>' })),
    ).toMatch(/problem \(500\)/);
    expect(describeError(new HttpErrorResponse({ status: 418, statusText: 'Teapot' }))).toBe(
      'The request failed (418 Teapot).',
    );
    expect(errorCode(new HttpErrorResponse({ status: 500 }))).toBeNull();
  });

  it('handles errors that are not HTTP errors', () => {
    expect(describeError(new Error('boom'))).toBe('boom');
    expect(describeError(undefined)).toBe('Something went wrong.');
  });
});

describe('isRetryable', () => {
  it('retries an unreachable server, rate limiting and server failures, not refusals', () => {
    expect(isRetryable(new HttpErrorResponse({ status: 0 }))).toBe(true);
    expect(isRetryable(new HttpErrorResponse({ status: 503 }))).toBe(true);
    expect(isRetryable(new HttpErrorResponse({ status: 429 }))).toBe(true);
    expect(isRetryable(new HttpErrorResponse({ status: 409 }))).toBe(false);
    expect(isRetryable(new HttpErrorResponse({ status: 422 }))).toBe(false);
    expect(isRetryable(new Error('boom'))).toBe(false);
  });
});
