import { Injectable, inject } from '@angular/core';
import { Observable, shareReplay, tap } from 'rxjs';
import { errorCode } from '../../core/api-error';
import { ApiService } from '../../core/api.service';
import { Analysis, ModelComparison } from '../../core/api.types';
import { count, percent } from '../../shared/format';

/**
 * Comparisons of candidate versions with the active one, asked for once while the models page is open: the
 * comparison beside the report and the activation dialog show the same one, and the server replays thousands of
 * questions through two models for each. Keyed by the active version too, so that activating another one asks
 * again. A failed request is not kept. Provided by the models page.
 *
 * While the server works on one (202), both see the same job's progress; the job is followed only while one of
 * them shows it: when none does any more the polling stops, and the next to show it asks again.
 */
@Injectable()
export class ModelComparisons {
  private readonly api = inject(ApiService);
  private readonly calls = new Map<string, Observable<Analysis<ModelComparison>>>();

  get(version: string, active: string | null): Observable<Analysis<ModelComparison>> {
    const key = JSON.stringify([version, active]);
    let call = this.calls.get(key);
    if (!call) {
      call = this.api
        .modelComparison(version)
        .pipe(
          tap({ error: () => this.calls.delete(key) }),
          shareReplay({ bufferSize: 1, refCount: true }),
        );
      this.calls.set(key, call);
    }
    return call;
  }
}

/** The server's 409: no version is active, so there is nothing to compare with. */
export function nothingActive(err: unknown): boolean {
  return errorCode(err) === 'conflict';
}

const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;

/** What the comparison says about accuracy, e.g. "On 312 reviewed questions: 84.0% → 88.1%". */
export function accuracyLine(c: ModelComparison): string {
  if (!c.labelled) return 'No reviewed or rated questions yet, so accuracy cannot be compared';
  return `On ${plural(c.labelled, 'reviewed question', 'reviewed questions')}: ${percent(c.active_accuracy)} → ${percent(c.candidate_accuracy)}`;
}

/** "41 of 5,000 recent answers change". */
export function changedLine(c: ModelComparison): string {
  if (!c.traffic) return 'no questions stored yet to replay';
  return `${count(c.changed)} of ${plural(c.traffic, 'recent answer', 'recent answers')} ${c.changed === 1 ? 'changes' : 'change'}`;
}

/** The headline for the activation dialog: "On 312 reviewed questions: 84.0% → 88.1%; 41 of 5,000 recent answers change." */
export function comparisonHeadline(c: ModelComparison): string {
  return `${accuracyLine(c)}; ${changedLine(c)}.`;
}
