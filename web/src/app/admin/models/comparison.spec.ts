import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { comparisonFixture } from './comparison-fixture';
import { ModelComparisons, comparisonHeadline } from './comparison';

const comparison = comparisonFixture;

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
      providers: [provideHttpClient(), provideHttpClientTesting(), ModelComparisons],
    });
    backend = TestBed.inject(HttpTestingController);
    comparisons = TestBed.inject(ModelComparisons);
  });

  afterEach(() => backend.verify());

  it('asks once for a version while the same version is active, again when another is', () => {
    const seen: string[] = [];
    comparisons.get('linear-2', 'linear-1').subscribe((c) => seen.push(c.active));
    comparisons.get('linear-2', 'linear-1').subscribe((c) => seen.push(c.active));
    backend.expectOne('/api/v1/models/linear-2/comparison').flush(comparison());
    comparisons.get('linear-2', 'linear-1').subscribe((c) => seen.push(c.active));
    backend.expectNone('/api/v1/models/linear-2/comparison');
    expect(seen).toEqual(['linear-1', 'linear-1', 'linear-1']);

    comparisons.get('linear-2', 'ngram-3').subscribe((c) => seen.push(c.active));
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
    comparisons.get('linear-2', null).subscribe((c) => (labelled = c.labelled));
    backend.expectOne('/api/v1/models/linear-2/comparison').flush(comparison());
    expect(labelled).toBe(312);
  });
});
