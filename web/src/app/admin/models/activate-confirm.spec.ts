import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ModelVersion } from '../../core/api.types';
import {
  accept,
  analysisJob,
  createWithBackend,
  fastPolling,
  nextJobPoll,
  settle,
  text,
} from '../../testing/page-testing';
import { ActivateConfirm } from './activate-confirm';
import { comparisonFixture } from './comparison-fixture';
import { ModelComparisons } from './comparison';

const candidate: ModelVersion = {
  version: 'linear-2',
  kind: 'linear',
  active: false,
  served: false,
  created_at: 2,
  data_fingerprint: 'f',
  accuracy: 0.9,
  macro_f1: 0.89,
};

const comparison = comparisonFixture;

describe('ActivateConfirm', () => {
  let backend: HttpTestingController;

  async function create() {
    const created = await createWithBackend(ActivateConfirm, {
      providers: [ModelComparisons, fastPolling],
      inputs: { model: candidate, active: 'linear-1' },
    });
    backend = created.backend;
    return created.fixture;
  }

  const request = () => backend.expectOne('/api/v1/models/linear-2/comparison');

  afterEach(() => {
    TestBed.resetTestingModule();
    backend.verify();
  });

  it('shows the comparison headline once it has loaded', async () => {
    const fixture = await create();
    const root: HTMLElement = fixture.nativeElement;
    expect(root.querySelector('.headline')).toBeNull();
    request().flush(comparison());
    await settle();
    expect(text(root.querySelector('[role="alertdialog"] .headline'))).toBe(
      'On 312 reviewed questions: 84.0% → 88.1%; 41 of 5,000 recent answers change.',
    );
  });

  it('says when no question is reviewed or rated yet', async () => {
    const fixture = await create();
    request().flush(comparison({ labelled: 0, active_accuracy: 0, candidate_accuracy: 0 }));
    await settle();
    expect(text(fixture.nativeElement.querySelector('.headline'))).toBe(
      'No reviewed or rated questions yet, so accuracy cannot be compared; 41 of 5,000 recent answers change.',
    );
  });

  it('still asks for confirmation when there is nothing to compare with', async () => {
    const fixture = await create();
    request().flush(
      { error: { code: 'conflict', message: 'no version is active to compare with' } },
      { status: 409, statusText: 'Conflict' },
    );
    await settle();
    const root: HTMLElement = fixture.nativeElement;
    expect(root.querySelector('.headline')).toBeNull();
    expect(text(root.querySelector('#confirm-text'))).toContain('Activate linear-2?');
    expect(Array.from(root.querySelectorAll('button')).map(text)).toEqual([
      'Yes, activate',
      'Cancel',
    ]);
  });

  it('shows the headline once a comparison the server took a while over (202) has succeeded', async () => {
    const fixture = await create();
    const root: HTMLElement = fixture.nativeElement;
    const job = analysisJob({
      id: 12,
      kind: 'comparison',
      progress: { percent: 50, stage: 'replaying' },
    });
    accept(request(), job);
    await settle();
    expect(root.querySelector('.headline')).toBeNull();
    (await nextJobPoll(backend, 12)).flush({ ...job, status: 'succeeded', result: comparison() });
    await settle();
    expect(text(root.querySelector('.headline'))).toBe(
      'On 312 reviewed questions: 84.0% → 88.1%; 41 of 5,000 recent answers change.',
    );
  });
});
