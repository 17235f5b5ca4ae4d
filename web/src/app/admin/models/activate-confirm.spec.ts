import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ModelComparison, ModelVersion } from '../../core/api.types';
import { settle, text } from '../../testing/page-testing';
import { ActivateConfirm } from './activate-confirm';
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

const comparison = (over: Partial<ModelComparison> = {}): ModelComparison => ({
  active: 'linear-1',
  candidate: 'linear-2',
  labelled: 312,
  active_accuracy: 0.84,
  candidate_accuracy: 0.881,
  traffic: 5000,
  changed: 41,
  active_handoff_rate: 0.19,
  candidate_handoff_rate: 0.15,
  newly_right: [],
  newly_wrong: [],
  ...over,
});

describe('ActivateConfirm', () => {
  let backend: HttpTestingController;

  async function create() {
    TestBed.configureTestingModule({
      imports: [ActivateConfirm],
      providers: [provideHttpClient(), provideHttpClientTesting(), ModelComparisons],
    });
    backend = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(ActivateConfirm);
    fixture.componentRef.setInput('model', candidate);
    fixture.componentRef.setInput('active', 'linear-1');
    fixture.detectChanges();
    await settle();
    return fixture;
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
