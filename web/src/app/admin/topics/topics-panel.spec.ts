import { HttpTestingController, TestRequest } from '@angular/common/http/testing';
import { ComponentFixture } from '@angular/core/testing';
import { Topic, TopicReport } from '../../core/api.types';
import {
  accept,
  analysisJob,
  createWithBackend,
  fastPolling,
  nextJobPoll,
  refuse,
  settle,
  severalPolls,
  text,
} from '../../testing/page-testing';
import { TopicsPanel, groupedText, topicPeriod } from './topics-panel';

const NOW = 1733486400000;
const DAY = 86400000;

const topic = (id: number, over: Partial<Topic> = {}): Topic => ({
  id,
  size: 12 - id,
  keywords: [`keyword${id}`],
  questions: [`question ${id}a`, `question ${id}b`, `question ${id}c`],
  interaction_ids: [id * 10 + 1, id * 10 + 2, id * 10 + 3],
  closest: { category: 'payment_billing', similarity: 0.31 },
  new: false,
  ...over,
});

const report = (topics: Topic[], over: Partial<TopicReport> = {}): TopicReport => ({
  from: NOW - 30 * DAY,
  to: NOW,
  questions: 57,
  seconds: 0.41,
  topics,
  ...over,
});

describe('topic period and footnote', () => {
  it('reaches back the given number of days from now', () => {
    expect(topicPeriod(30, NOW)).toEqual({ from: NOW - 30 * DAY, to: NOW });
    expect(topicPeriod(7, NOW)).toEqual({ from: NOW - 7 * DAY, to: NOW });
  });

  it('says how many questions were grouped, and how fast', () => {
    expect(groupedText(57, 0.41)).toBe('57 questions grouped in 0.41 s');
    expect(groupedText(1, 2)).toBe('1 question grouped in 2.00 s');
  });
});

describe('TopicsPanel', () => {
  let backend: HttpTestingController;
  let fixture: ComponentFixture<TopicsPanel>;
  let root: HTMLElement;

  const isTopics = (r: { method: string; url: string }) =>
    r.method === 'GET' && r.url === '/api/v1/insights/topics';
  const cards = () => Array.from(root.querySelectorAll('article[data-topic]'));
  const status = () => text(root.querySelector('.success[role="status"]'));

  async function create(days = 30): Promise<TestRequest> {
    vi.spyOn(Date, 'now').mockReturnValue(NOW);
    const page = await createWithBackend(TopicsPanel, {
      inputs: { days },
      providers: [fastPolling],
    });
    backend = page.backend;
    fixture = page.fixture;
    root = fixture.nativeElement;
    return backend.expectOne(isTopics);
  }

  async function answer(req: TestRequest, body: object): Promise<void> {
    req.flush(body);
    await settle();
  }

  afterEach(() => {
    vi.restoreAllMocks();
    backend.verify();
  });

  it("asks for the period's topics and shows them largest first, with the footnote", async () => {
    const req = await create(30);
    expect(req.request.params.get('from')).toBe(String(NOW - 30 * DAY));
    expect(req.request.params.get('to')).toBe(String(NOW));
    expect(text(root.querySelector('[role="status"]'))).toBe('Loading…');
    await answer(req, report([topic(0), topic(1, { new: true, closest: null })]));
    expect(text(root.querySelector('h2'))).toBe('Unanswered topics');
    expect(root.querySelector('[role="status"]')).toBeNull();
    expect(cards().map((c) => text(c.querySelector('h3')))).toEqual([
      '12 questions',
      '11 questions',
    ]);
    expect(cards()[0].querySelector('.badge')).toBeNull();
    expect(text(cards()[1].querySelector('.badge'))).toBe('New');
    expect(text(root.querySelector('.footnote'))).toBe('57 questions grouped in 0.41 s');
  });

  it('says when the period has no unanswered topics', async () => {
    await answer(await create(), report([], { questions: 2, seconds: 0.004 }));
    expect(cards().length).toBe(0);
    expect(text(root.querySelector('.empty'))).toBe(
      'No unanswered topics in this period: every question found an answer or an agent.',
    );
    expect(text(root.querySelector('.footnote'))).toBe('2 questions grouped in 0.00 s');
  });

  it('shows a failure to load', async () => {
    refuse(await create(), 500, 'internal', 'the store failed');
    await settle();
    expect(text(root.querySelector('[role="alert"]'))).toBe('the store failed');
    expect(cards().length).toBe(0);
    expect(root.querySelector('.empty')).toBeNull();
    expect(root.querySelector('.footnote')).toBeNull();
  });

  it('drops a topic once its questions are added, and says so', async () => {
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    await answer(await create(), report([topic(0), topic(1)]));
    const add = Array.from(cards()[1].querySelectorAll('button')).find(
      (b) => text(b) === 'Add to payment_billing',
    )!;
    add.click();
    await settle();
    const post = backend.expectOne('/api/v1/insights/topics/assign');
    expect(post.request.body).toEqual({
      category: 'payment_billing',
      interaction_ids: [11, 12, 13],
    });
    await answer(post, { assigned: 3, skipped: 0 });
    expect(cards().map((c) => c.getAttribute('data-topic'))).toEqual(['0']);
    expect(status()).toBe('3 questions added to payment_billing');
  });

  it('reads the topics again when the period changes, and forgets the last action', async () => {
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    await answer(await create(30), report([topic(0)]));
    cards()[0].querySelector('button')!.click();
    await settle();
    await answer(backend.expectOne('/api/v1/insights/topics/assign'), { assigned: 3, skipped: 0 });
    expect(status()).toBe('3 questions added to payment_billing');

    fixture.componentRef.setInput('days', 7);
    await settle();
    const again = backend.expectOne(isTopics);
    expect(again.request.params.get('from')).toBe(String(NOW - 7 * DAY));
    expect(again.request.params.get('to')).toBe(String(NOW));
    await answer(again, report([topic(0), topic(1)]));
    expect(status()).toBe('');
    expect(cards().length).toBe(2);
  });

  describe('when the server takes a while (202)', () => {
    const job = (over: Parameters<typeof analysisJob>[0] = {}) =>
      analysisJob({ id: 7, kind: 'topics', ...over });
    const progress = () => root.querySelector('progress');
    const progressText = () => text(root.querySelector('.progress-text'));

    it('shows how far the grouping has got, then the topics', async () => {
      accept(await create(), job({ progress: { percent: 5, stage: 'reading' } }));
      await settle();
      expect(progressText()).toBe('Reading questions… 5%');
      expect(progress()!.getAttribute('value')).toBe('5');
      expect(root.querySelector('[role="status"]')).toBeNull();
      expect(cards().length).toBe(0);

      (await nextJobPoll(backend, 7)).flush(job({ progress: { percent: 40, stage: 'grouping' } }));
      await settle();
      expect(progressText()).toBe('Grouping questions… 40%');
      expect(progress()!.getAttribute('value')).toBe('40');
      expect(root.querySelector('.analysis')!.getAttribute('data-stage')).toBe('grouping');
      expect(root.querySelector('.footnote')).toBeNull();

      (await nextJobPoll(backend, 7)).flush(
        job({
          status: 'succeeded',
          progress: { percent: 100, stage: 'done' },
          finished_at: NOW + 3000,
          result: report([topic(0), topic(1)]),
        }),
      );
      await settle();
      expect(progress()).toBeNull();
      expect(cards().map((c) => text(c.querySelector('h3')))).toEqual([
        '12 questions',
        '11 questions',
      ]);
      expect(text(root.querySelector('.footnote'))).toBe('57 questions grouped in 0.41 s');
      await severalPolls();
      backend.expectNone('/api/v1/analysis-jobs/7');
    });

    it("shows the job's failure as an error", async () => {
      accept(await create(), job({ progress: { percent: 40, stage: 'grouping' } }));
      await settle();
      (await nextJobPoll(backend, 7)).flush(
        job({ status: 'failed', error: 'grouping ran out of memory', finished_at: NOW + 1 }),
      );
      await settle();
      expect(text(root.querySelector('[role="alert"]'))).toBe('grouping ran out of memory');
      expect(progress()).toBeNull();
      expect(cards().length).toBe(0);
      expect(root.querySelector('.footnote')).toBeNull();
    });

    it('stops following the job when the panel goes away', async () => {
      accept(await create(), job());
      await settle();
      const poll = await nextJobPoll(backend, 7);
      fixture.destroy();
      expect(poll.cancelled).toBe(true);
      await severalPolls();
      backend.expectNone('/api/v1/analysis-jobs/7');
    });

    it("stops following the last period's job when another period is chosen", async () => {
      accept(await create(30), job());
      await settle();
      const poll = await nextJobPoll(backend, 7);
      fixture.componentRef.setInput('days', 7);
      await settle();
      expect(poll.cancelled).toBe(true);
      const again = backend.expectOne(isTopics);
      expect(again.request.params.get('from')).toBe(String(NOW - 7 * DAY));
      expect(text(root.querySelector('[role="status"]'))).toBe('Loading…');
      await answer(again, report([topic(2)]));
      await severalPolls();
      backend.expectNone('/api/v1/analysis-jobs/7');
      expect(cards().map((c) => c.getAttribute('data-topic'))).toEqual(['2']);
    });
  });
});
