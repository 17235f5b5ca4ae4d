import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Analysis, ModelComparison } from '../../core/api.types';
import {
  accept,
  analysisJob,
  fastPolling,
  nextJobPoll,
  severalPolls,
} from '../../testing/page-testing';
import { comparisonFixture } from './comparison-fixture';
import { ModelComparisons, comparisonHeadline } from './comparison';

const comparison = comparisonFixture;

/** The comparison's active version, or '…' while the server works on it. */
const activeOf = (a: Analysis<ModelComparison>) => (a.done ? a.result.active : '…');

describe('comparisonHeadline', () => {
  it('gives accuracy on the reviewed questions and the answers that change', () => {
    expect(comparisonHeadline(comparison())).toBe(
      'On 312 reviewed questions: 84.0% → 88.1%; 41 of 5,000 recent answers change.',
    );
    expect(comparisonHeadline(comparison({ labelled: 1, changed: 1, traffic: 3 }))).toBe(
      'On 1 reviewed question: 84.0% → 88.1%; 1 of 3 recent answers changes.',
    );
  });

  it('says plainly when no question is reviewed or rated yet', () => {
    expect(comparisonHeadline(comparison({ labelled: 0, active_accuracy: 0 }))).toBe(
      'No reviewed or rated questions yet, so accuracy cannot be compared; 41 of 5,000 recent answers change.',
    );
    expect(comparisonHeadline(comparison({ labelled: 0, traffic: 0, changed: 0 }))).toBe(
      'No reviewed or rated questions yet, so accuracy cannot be compared; no questions stored yet to replay.',
    );
  });
});

describe('ModelComparisons', () => {
  let backend: HttpTestingController;
  let comparisons: ModelComparisons;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), fastPolling, ModelComparisons],
    });
    backend = TestBed.inject(HttpTestingController);
    comparisons = TestBed.inject(ModelComparisons);
  });

  afterEach(() => backend.verify());

  it('asks once for a version while the same version is active, again when another is', () => {
    const seen: string[] = [];
    comparisons.get('linear-2', 'linear-1').subscribe((c) => seen.push(activeOf(c)));
    comparisons.get('linear-2', 'linear-1').subscribe((c) => seen.push(activeOf(c)));
    backend.expectOne('/api/v1/models/linear-2/comparison').flush(comparison());
    comparisons.get('linear-2', 'linear-1').subscribe((c) => seen.push(activeOf(c)));
    backend.expectNone('/api/v1/models/linear-2/comparison');
    expect(seen).toEqual(['linear-1', 'linear-1', 'linear-1']);

    comparisons.get('linear-2', 'ngram-3').subscribe((c) => seen.push(activeOf(c)));
    backend
      .expectOne('/api/v1/models/linear-2/comparison')
      .flush(comparison({ active: 'ngram-3' }));
    expect(seen.at(-1)).toBe('ngram-3');
  });

  it('does not keep a failure', () => {
    let failed = false;
    comparisons.get('linear-2', null).subscribe({ error: () => (failed = true) });
    backend
      .expectOne('/api/v1/models/linear-2/comparison')
      .flush(
        { error: { code: 'conflict', message: 'no version is active to compare with' } },
        { status: 409, statusText: 'Conflict' },
      );
    expect(failed).toBe(true);
    let labelled = 0;
    comparisons.get('linear-2', null).subscribe((c) => (labelled = c.done ? c.result.labelled : 0));
    backend.expectOne('/api/v1/models/linear-2/comparison').flush(comparison());
    expect(labelled).toBe(312);
  });

  it('shows the view and the dialog the same job, followed only while one of them shows it', async () => {
    const view: string[] = [];
    const dialog: string[] = [];
    const job = (percent: number) =>
      analysisJob({ id: 4, kind: 'comparison', progress: { percent, stage: 'replaying' } });
    const percents = (a: Analysis<ModelComparison>) =>
      a.done ? 'done' : `${a.job.progress.percent}%`;
    const first = comparisons.get('linear-2', 'linear-1').subscribe((c) => view.push(percents(c)));
    accept(backend.expectOne('/api/v1/models/linear-2/comparison'), job(10));
    (await nextJobPoll(backend, 4)).flush(job(30));
    const second = comparisons
      .get('linear-2', 'linear-1')
      .subscribe((c) => dialog.push(percents(c)));
    backend.expectNone('/api/v1/models/linear-2/comparison');
    expect(dialog).toEqual(['30%']);

    first.unsubscribe();
    const poll = await nextJobPoll(backend, 4);
    expect(poll.cancelled).toBe(false);
    second.unsubscribe();
    expect(poll.cancelled).toBe(true);
    await severalPolls();
    backend.expectNone('/api/v1/analysis-jobs/4');
    expect(view).toEqual(['10%', '30%']);

    // Shown again: asked again (the server joins the job still running, or has the result at hand).
    comparisons.get('linear-2', 'linear-1').subscribe((c) => view.push(percents(c)));
    backend.expectOne('/api/v1/models/linear-2/comparison').flush(comparison());
    expect(view.at(-1)).toBe('done');
  });
});
