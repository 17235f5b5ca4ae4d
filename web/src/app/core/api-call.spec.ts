import { HttpErrorResponse } from '@angular/common/http';
import { signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { TestBed } from '@angular/core/testing';
import { Subject, of, throwError } from 'rxjs';
import { latest, loadError, send } from './api-call';

const refused = () =>
  new HttpErrorResponse({
    status: 409,
    error: { error: { code: 'conflict', message: 'already there' } },
  });

describe('send', () => {
  it('is busy while the request runs and hands over the answer', () => {
    const busy = signal(false);
    const error = signal('old failure');
    const reply = new Subject<number>();
    let got = 0;
    send(reply, { busy, error, done: (n) => (got = n) });
    expect(busy()).toBe(true);
    expect(error()).toBe('');
    reply.next(7);
    expect(busy()).toBe(false);
    expect(got).toBe(7);
  });

  it('turns a failure into a sentence, or gives it to `failed`', () => {
    const busy = signal(false);
    const error = signal('');
    send(throwError(refused), { busy, error, done: () => expect.unreachable() });
    expect(busy()).toBe(false);
    expect(error()).toBe('already there');

    let taken: unknown = null;
    send(throwError(refused), { error, failed: (err) => (taken = err) });
    expect(error()).toBe('');
    expect(taken).toBeInstanceOf(HttpErrorResponse);
    send(of(1), {});
  });
});

describe('loadError', () => {
  it('describes the first failed resource', () => {
    const ok = { error: () => undefined } as never;
    const bad = { error: () => refused() } as never;
    expect(loadError(ok)).toBe('');
    expect(loadError(ok, bad)).toBe('already there');
  });
});

describe('latest', () => {
  it('keeps the last value while the next request loads and after it fails', async () => {
    const settle = () => new Promise((r) => setTimeout(r));
    const page = signal(1);
    const replies: Subject<string>[] = [];
    const { res, value } = TestBed.runInInjectionContext(() => {
      const res = rxResource({
        params: () => page(),
        stream: () => {
          replies.push(new Subject<string>());
          return replies[replies.length - 1];
        },
      });
      return { res, value: latest(res) };
    });
    TestBed.tick();
    expect(value()).toBeUndefined();
    replies[0].next('page 1');
    await settle();
    expect(value()).toBe('page 1');
    page.set(2);
    TestBed.tick();
    expect(res.isLoading()).toBe(true);
    expect(value()).toBe('page 1');
    replies[1].error(refused());
    await settle();
    expect(loadError(res)).toBe('already there');
    expect(value()).toBe('page 1');
  });
});
