import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ModelComparison } from '../../core/api.types';
import {
  accept,
  analysisJob,
  createWithBackend,
  fastPolling,
  nextJobPoll,
  settle,
  severalPolls,
  text,
} from '../../testing/page-testing';
import { comparisonFixture } from './comparison-fixture';
import { ModelComparisons } from './comparison';
import { VersionComparison } from './version-comparison';

const comparison = (over: Partial<ModelComparison> = {}): ModelComparison =>
  comparisonFixture({
    newly_right: [
      {
        interaction_id: 12,
        query: 'can I pay with a gift card',
        truth: 'gift_cards',
        active: 'refunds',
        candidate: 'gift_cards',
      },
    ],
    ...over,
  });

describe('VersionComparison', () => {
  let backend: HttpTestingController;

  async function create(version = 'linear-2') {
    const created = await createWithBackend(VersionComparison, {
      providers: [ModelComparisons, fastPolling],
      inputs: { version, active: 'linear-1' },
    });
    backend = created.backend;
    return created.fixture;
  }

  const answer = (body: ModelComparison) =>
    backend.expectOne({ method: 'GET', url: '/api/v1/models/linear-2/comparison' }).flush(body);

  afterEach(() => {
    TestBed.resetTestingModule();
    backend.verify();
  });

  it('shows accuracy, changed answers, hand-off rates and the questions newly right and wrong', async () => {
    const fixture = await create();
    const root: HTMLElement = fixture.nativeElement;
    expect(text(root)).toContain('Replaying the store');
    answer(comparison());
    await settle();
    expect(text(root.querySelector('h2'))).toBe('linear-2 compared with the active version');
    expect(text(root.querySelector('[data-key="accuracy"] dd.value'))).toBe('84.0% → 88.1%');
    expect(text(root.querySelector('[data-key="accuracy"]'))).toContain(
      'on 312 questions reviewed',
    );
    expect(text(root.querySelector('[data-key="changed"] dd.value'))).toBe('41');
    expect(text(root.querySelector('[data-key="changed"]'))).toContain(
      'of the 5,000 most recent questions',
    );
    expect(text(root.querySelector('[data-key="handoff"] dd.value'))).toBe('19.0% → 15.0%');
    expect(text(root.querySelector('[data-list="right"] h3'))).toBe('Now answered right (1)');
    expect(text(root.querySelector('[data-list="right"] .change'))).toBe(
      '“can I pay with a gift card” — Refunds → Gift cards (right: Gift cards)',
    );
    expect(text(root.querySelector('[data-list="wrong"] h3'))).toBe('Now answered wrong (0)');
    expect(text(root.querySelector('[data-list="wrong"]'))).toContain('None.');
    expect(root.querySelector('[role="alert"]')).toBeNull();
  });

  it('says that a full list of 20 may not be all of them', async () => {
    const fixture = await create();
    const wrong = Array.from({ length: 20 }, (_, i) => ({
      interaction_id: 100 + i,
      query: `question ${i}`,
      truth: 'refunds',
      active: 'refunds',
      candidate: 'gift_cards',
    }));
    answer(comparison({ newly_wrong: wrong }));
    await settle();
    const root: HTMLElement = fixture.nativeElement;
    expect(text(root.querySelector('[data-list="wrong"] h3'))).toBe(
      'Now answered wrong (20 shown)',
    );
    expect(root.querySelectorAll('[data-list="wrong"] li').length).toBe(20);
    expect(text(root.querySelector('[data-list="right"] h3'))).toBe('Now answered right (1)');
  });

  it('says plainly that accuracy cannot be compared without reviewed or rated questions', async () => {
    const fixture = await create();
    answer(comparison({ labelled: 0, active_accuracy: 0, candidate_accuracy: 0, newly_right: [] }));
    await settle();
    const root: HTMLElement = fixture.nativeElement;
    expect(text(root.querySelector('[data-key="accuracy"]'))).toContain(
      'No reviewed or rated questions exist yet, so accuracy cannot be compared.',
    );
    expect(text(root.querySelector('[data-key="accuracy"] dd.value'))).toBe('–');
    expect(text(root.querySelector('[data-key="changed"] dd.value'))).toBe('41');
    expect(text(root.querySelector('[data-key="handoff"] dd.value'))).toBe('19.0% → 15.0%');
    expect(root.querySelector('.changes')).toBeNull();
  });

  it('notes that nothing is active, without an error banner', async () => {
    const fixture = await create();
    backend
      .expectOne('/api/v1/models/linear-2/comparison')
      .flush(
        { error: { code: 'conflict', message: 'no version is active to compare with' } },
        { status: 409, statusText: 'Conflict' },
      );
    await settle();
    const root: HTMLElement = fixture.nativeElement;
    expect(text(root.querySelector('[role="note"]'))).toBe(
      'No version is active yet, so there is nothing to compare it with.',
    );
    expect(root.querySelector('[role="alert"]')).toBeNull();
    expect(root.querySelector('dl')).toBeNull();
  });

  it('shows any other failure as an error', async () => {
    const fixture = await create();
    backend
      .expectOne('/api/v1/models/linear-2/comparison')
      .flush(
        { error: { code: 'not_found', message: 'unknown model version linear-2' } },
        { status: 404, statusText: 'Not Found' },
      );
    await settle();
    const root: HTMLElement = fixture.nativeElement;
    expect(text(root.querySelector('[role="alert"]'))).toBe('unknown model version linear-2');
    expect(root.querySelector('[role="note"]')).toBeNull();
  });

  describe('when the server takes a while (202)', () => {
    const job = (over: Parameters<typeof analysisJob>[0] = {}) =>
      analysisJob({ id: 11, kind: 'comparison', params: { version: 'linear-2' }, ...over });
    const request = () =>
      backend.expectOne({ method: 'GET', url: '/api/v1/models/linear-2/comparison' });

    it('shows how far the replay has got, then the comparison', async () => {
      const fixture = await create();
      const root: HTMLElement = fixture.nativeElement;
      accept(request(), job({ progress: { percent: 10, stage: 'reading' } }));
      await settle();
      expect(text(root.querySelector('.progress-text'))).toBe('Reading questions… 10%');
      expect(root.querySelector('dl')).toBeNull();

      (await nextJobPoll(backend, 11)).flush(
        job({ progress: { percent: 65, stage: 'replaying' } }),
      );
      await settle();
      expect(text(root.querySelector('.progress-text'))).toBe('Replaying recent questions… 65%');
      expect(root.querySelector('progress')!.getAttribute('value')).toBe('65');
      expect(text(root)).not.toContain('Replaying the store');

      (await nextJobPoll(backend, 11)).flush(
        job({
          status: 'succeeded',
          progress: { percent: 100, stage: 'done' },
          result: comparison(),
        }),
      );
      await settle();
      expect(root.querySelector('progress')).toBeNull();
      expect(text(root.querySelector('[data-key="accuracy"] dd.value'))).toBe('84.0% → 88.1%');
      expect(text(root.querySelector('[data-list="right"] h3'))).toBe('Now answered right (1)');
      expect(root.querySelector('[role="alert"]')).toBeNull();
    });

    it("shows the job's failure as an error", async () => {
      const fixture = await create();
      const root: HTMLElement = fixture.nativeElement;
      accept(request(), job({ progress: { percent: 65, stage: 'replaying' } }));
      await settle();
      (await nextJobPoll(backend, 11)).flush(
        job({ status: 'failed', error: 'model linear-2 could not be loaded' }),
      );
      await settle();
      expect(text(root.querySelector('[role="alert"]'))).toBe('model linear-2 could not be loaded');
      expect(root.querySelector('[role="note"]')).toBeNull();
      expect(root.querySelector('progress')).toBeNull();
      expect(root.querySelector('dl')).toBeNull();
    });

    it('stops following the job when the comparison goes away', async () => {
      const fixture = await create();
      accept(request(), job());
      await settle();
      const poll = await nextJobPoll(backend, 11);
      fixture.destroy();
      expect(poll.cancelled).toBe(true);
      await severalPolls();
      backend.expectNone('/api/v1/analysis-jobs/11');
    });
  });
});
