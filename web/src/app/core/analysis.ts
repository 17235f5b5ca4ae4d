import { HttpResponse } from '@angular/common/http';
import { InjectionToken } from '@angular/core';
import { EMPTY, Observable, expand, map, of, switchMap, timer } from 'rxjs';
import { Analysis, AnalysisJob } from './api.types';

/** How long to wait between two questions about a running analysis job (milliseconds); specs make it short. */
export const ANALYSIS_POLL_MS = new InjectionToken<number>('ANALYSIS_POLL_MS', {
  providedIn: 'root',
  factory: () => 1000,
});

/** An analysis job that ended in failure; the message is the server's (describeError shows it as it is). */
export class AnalysisFailed extends Error {
  constructor(readonly job: AnalysisJob) {
    super(job.error?.trim() || `The analysis failed (job #${job.id}).`);
    this.name = 'AnalysisFailed';
  }
}

/** A job as the pages take it: running, or the result; a failed job (or one without a result) is an error. */
export function analysisOf<T>(job: AnalysisJob<T>): Analysis<T> {
  if (job.status === 'running') return { done: false, job };
  if (job.status === 'succeeded' && job.result !== undefined)
    return { done: true, result: job.result };
  if (job.status === 'succeeded')
    throw new AnalysisFailed({ ...job, error: 'The analysis finished without a result.' });
  throw new AnalysisFailed(job);
}

/**
 * The job, then the job as `get` reads it again `everyMs` after each answer (never two requests at once), until
 * it is no longer running: its result, or an AnalysisFailed. Unsubscribing stops the polling.
 */
export function followJob<T>(
  start: AnalysisJob<T>,
  get: (id: number) => Observable<AnalysisJob<T>>,
  everyMs: number,
): Observable<Analysis<T>> {
  return of(start).pipe(
    expand((job) =>
      job.status === 'running' ? timer(everyMs).pipe(switchMap(() => get(start.id))) : EMPTY,
    ),
    map((job) => analysisOf(job)),
  );
}

/**
 * The answer of a route that may take a while: a 200 is the result at once; a 202 (`{"job": …}`) is followed
 * through `get` until the job ends.
 */
export function analysisFrom<T>(
  response: HttpResponse<T | { job: AnalysisJob<T> }>,
  get: (id: number) => Observable<AnalysisJob<T>>,
  everyMs: number,
): Observable<Analysis<T>> {
  if (response.status !== 202) return of({ done: true, result: response.body as T });
  const job = (response.body as { job?: AnalysisJob<T> } | null)?.job;
  if (!job || typeof job.id !== 'number')
    throw new Error('The server accepted the request but named no job to follow.');
  return followJob(job, get, everyMs);
}
