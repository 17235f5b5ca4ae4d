import { Resource, Signal, WritableSignal, linkedSignal } from '@angular/core';
import { Observable } from 'rxjs';
import { describeError } from './api-error';

/** What to do around one user action sent to the API. */
export interface SendHandlers<T> {
  /** True while the request runs. */
  busy?: WritableSignal<boolean>;
  /** Cleared when the request starts, then given the failure as a sentence (unless `failed` takes it). */
  error?: WritableSignal<string>;
  done?: (value: T) => void;
  /** Takes the failure instead of `error`, for pages that show it somewhere else. */
  failed?: (err: unknown) => void;
}

/**
 * Sends one user action (a POST, PUT or DELETE). Loading data goes through resources instead (`rxResource` over
 * an ApiService method), which track loading and failure themselves; actions stay imperative because they run
 * once per click, not whenever a signal changes.
 */
export function send<T>(call: Observable<T>, handlers: SendHandlers<T>): void {
  const { busy, error, done, failed } = handlers;
  error?.set('');
  busy?.set(true);
  call.subscribe({
    next: (value) => {
      busy?.set(false);
      done?.(value);
    },
    error: (err: unknown) => {
      busy?.set(false);
      if (failed) failed(err);
      else error?.set(describeError(err));
    },
  });
}

/** The first failure among these resources as a sentence, or '' while they all load fine. */
export function loadError(...resources: Resource<unknown>[]): string {
  for (const r of resources) {
    const err = r.error();
    if (err) return describeError(err);
  }
  return '';
}

/**
 * The resource's last loaded value, kept while the next request loads and after it fails, so that a list does
 * not blank out between pages (a resource itself drops its value when its request changes).
 */
export function latest<T>(resource: Resource<T | undefined>): Signal<T | undefined> {
  return linkedSignal<T | undefined, T | undefined>({
    source: () => (resource.hasValue() ? resource.value() : undefined),
    computation: (value, previous) => value ?? previous?.value,
  });
}
