import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ModelVersion } from '../../core/api.types';
import { createWithBackend, settle, text } from '../../testing/page-testing';
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
      providers: [ModelComparisons],
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
});
