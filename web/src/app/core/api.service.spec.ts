import { HttpErrorResponse, provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Observable } from 'rxjs';
import { comparisonFixture } from '../admin/models/comparison-fixture';
import {
  accept,
  analysisJob,
  fastPolling,
  nextJobPoll,
  refuse,
  severalPolls,
} from '../testing/page-testing';
import { AnalysisFailed } from './analysis';
import { ApiService, auditParams, interactionParams, localDayStart } from './api.service';
import { describeError } from './api-error';
import { Analysis, ModelComparison, TopicReport } from './api.types';

describe('interactionParams', () => {
  it('leaves empty filters out', () => {
    expect(interactionParams({ category: '', handoff: '', feedback: '' }).keys()).toEqual([]);
  });

  it('turns the inclusive date range into epoch milliseconds of local days', () => {
    const p = interactionParams({
      from: '2026-03-01',
      to: '2026-03-02',
      handoff: 'true',
      feedback: 'unhelpful',
      limit: 25,
      offset: 50,
    });
    expect(Number(p.get('from'))).toBe(new Date(2026, 2, 1).getTime());
    expect(Number(p.get('to'))).toBe(new Date(2026, 2, 3).getTime() - 1);
    expect(p.get('handoff')).toBe('true');
    expect(p.get('feedback')).toBe('unhelpful');
    expect(p.get('limit')).toBe('25');
    expect(p.get('offset')).toBe('50');
  });

  it('ignores text that is not a date', () => {
    expect(localDayStart('yesterday')).toBeNull();
    expect(interactionParams({ from: 'soon' }).has('from')).toBe(false);
  });
});

describe('auditParams', () => {
  it('sends the actor (trimmed) and the action only when set', () => {
    expect(auditParams({ actor: '  ', action: '', limit: 50, offset: 0 }).keys()).toEqual([
      'limit',
      'offset',
    ]);
    const p = auditParams({ actor: ' alice ', action: 'token.create', limit: 50, offset: 100 });
    expect(p.get('actor')).toBe('alice');
    expect(p.get('action')).toBe('token.create');
    expect(p.get('offset')).toBe('100');
  });
});

describe('ApiService', () => {
  let api: ApiService;
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    api = TestBed.inject(ApiService);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  it('posts a CSV body as text/csv for import', () => {
    api.importExamples('text,label\nhi,greeting\n').subscribe();
    const req = backend.expectOne('/api/v1/training-examples/import');
    expect(req.request.method).toBe('POST');
    expect(req.request.headers.get('Content-Type')).toBe('text/csv');
    expect(req.request.body).toBe('text,label\nhi,greeting\n');
    req.flush({ received: 1, inserted: 1, duplicates: 0, created_categories: ['greeting'] });
  });

  it('leaves the kind to the server (auto) unless one is asked for, and unwraps list responses', () => {
    api.train({ epochs: 5 }).subscribe();
    expect(backend.expectOne('/api/v1/models').request.body).toEqual({ epochs: 5 });
    api.train({ kind: 'linear', answer_precision: 0.9 }).subscribe();
    expect(backend.expectOne('/api/v1/models').request.body).toEqual({
      kind: 'linear',
      answer_precision: 0.9,
    });
    let names: string[] = [];
    api.categories().subscribe((c) => (names = c.map((x) => x.name)));
    backend.expectOne('/api/v1/categories').flush({ items: [{ name: 'a' }, { name: 'b' }] });
    expect(names).toEqual(['a', 'b']);
  });

  it('escapes names in paths', () => {
    api.deleteCategory('a/b', 'c d').subscribe();
    const req = backend.expectOne((r) => r.url === '/api/v1/categories/a%2Fb');
    expect(req.request.params.get('reassign_to')).toBe('c d');
    req.flush(null, { status: 204, statusText: 'No Content' });
  });

  it('asks for the comparison of a version with the active one', () => {
    let active = '';
    api.modelComparison('linear-2 b').subscribe((c) => (active = c.done ? c.result.active : ''));
    const req = backend.expectOne('/api/v1/models/linear-2%20b/comparison');
    expect(req.request.method).toBe('GET');
    req.flush({ active: 'ngram-1', candidate: 'linear-2 b' });
    expect(active).toBe('ngram-1');
  });

  it('posts a clarification choice, or null for "Something else", and returns the answer', () => {
    let category = '';
    api.clarify(7, 'tok', 'refunds').subscribe((a) => (category = a.category));
    const pick = backend.expectOne('/api/v1/interactions/7/clarification');
    expect(pick.request.method).toBe('POST');
    expect(pick.request.body).toEqual({ token: 'tok', category: 'refunds' });
    pick.flush({ interaction_id: 7, category: 'refunds', handoff: false, clarify: null });
    expect(category).toBe('refunds');

    api.clarify(7, 'tok', null).subscribe();
    const other = backend.expectOne('/api/v1/interactions/7/clarification');
    expect(other.request.body).toEqual({ token: 'tok', category: null });
    other.flush({ interaction_id: 7, category: 'refunds', handoff: true, clarify: null });
  });

  it('lists, creates and revokes named tokens', () => {
    let names: string[] = [];
    api.tokens().subscribe((t) => (names = t.map((x) => x.name)));
    const list = backend.expectOne('/api/v1/tokens');
    expect(list.request.method).toBe('GET');
    list.flush({
      items: [{ name: 'alice', created_at: 1, created_by: 'admin', revoked_at: null }],
    });
    expect(names).toEqual(['alice']);

    let secret = '';
    api.createToken('bob').subscribe((t) => (secret = t.token));
    const create = backend.expectOne('/api/v1/tokens');
    expect(create.request.method).toBe('POST');
    expect(create.request.body).toEqual({ name: 'bob' });
    create.flush(
      { name: 'bob', token: 'f'.repeat(64), created_at: 2, created_by: 'admin' },
      { status: 201, statusText: 'Created' },
    );
    expect(secret).toBe('f'.repeat(64));

    let revoked = false;
    api.revokeToken('a b').subscribe(() => (revoked = true));
    const revoke = backend.expectOne('/api/v1/tokens/a%20b');
    expect(revoke.request.method).toBe('DELETE');
    revoke.flush(null, { status: 204, statusText: 'No Content' });
    expect(revoked).toBe(true);
  });

  it('reads a page of the audit log with its filters', () => {
    let total = 0;
    api
      .audit({ actor: 'cli', action: 'customer_data.erase', limit: 50, offset: 50 })
      .subscribe((p) => (total = p.total));
    const req = backend.expectOne((r) => r.url === '/api/v1/audit');
    expect(req.request.method).toBe('GET');
    expect(req.request.params.get('actor')).toBe('cli');
    expect(req.request.params.get('action')).toBe('customer_data.erase');
    expect(req.request.params.get('limit')).toBe('50');
    expect(req.request.params.get('offset')).toBe('50');
    req.flush({ items: [], total: 51, limit: 50, offset: 50 });
    expect(total).toBe(51);
  });

  it('reads the topics of a period and files a topic under a category', () => {
    let sizes: number[] = [];
    api
      .topics(1733400000000, 1733486400000)
      .subscribe((r) => (sizes = r.done ? r.result.topics.map((t) => t.size) : []));
    const get = backend.expectOne((r) => r.url === '/api/v1/insights/topics');
    expect(get.request.method).toBe('GET');
    expect(get.request.params.get('from')).toBe('1733400000000');
    expect(get.request.params.get('to')).toBe('1733486400000');
    get.flush({ from: 1, to: 2, questions: 3, seconds: 0.1, topics: [{ id: 0, size: 3 }] });
    expect(sizes).toEqual([3]);

    let skipped = -1;
    api.assignTopic('payment_billing', [101, 102]).subscribe((r) => (skipped = r.skipped));
    const post = backend.expectOne('/api/v1/insights/topics/assign');
    expect(post.request.method).toBe('POST');
    expect(post.request.body).toEqual({ category: 'payment_billing', interaction_ids: [101, 102] });
    post.flush({ assigned: 1, skipped: 1 });
    expect(skipped).toBe(1);
  });

  it('creates a category with only a description and a response', () => {
    let name = '';
    api
      .saveCategory('gift wrapping', { description: 'gift, wrap', response: 'Yes, £3.' })
      .subscribe((c) => (name = c.name));
    const put = backend.expectOne('/api/v1/categories/gift%20wrapping');
    expect(put.request.method).toBe('PUT');
    expect(put.request.body).toEqual({ description: 'gift, wrap', response: 'Yes, £3.' });
    put.flush({ name: 'gift wrapping', description: 'gift, wrap', response: 'Yes, £3.' });
    expect(name).toBe('gift wrapping');
  });

  it("asks whose a token is with the token's own bearer header", () => {
    let name = '';
    api.me('abc').subscribe((m) => (name = m.name));
    const req = backend.expectOne('/api/v1/me');
    expect(req.request.method).toBe('GET');
    expect(req.request.headers.get('Authorization')).toBe('Bearer abc');
    req.flush({ name: 'alice' });
    expect(name).toBe('alice');
  });

  it('checks a token with its own bearer header', () => {
    let ok = false;
    api.checkToken('abc').subscribe(() => (ok = true));
    const req = backend.expectOne('/api/v1/training-jobs');
    expect(req.request.method).toBe('GET');
    expect(req.request.headers.get('Authorization')).toBe('Bearer abc');
    req.flush({ items: [] });
    expect(ok).toBe(true);
  });
});

describe('ApiService, a topic report or comparison that takes a while', () => {
  let api: ApiService;
  let backend: HttpTestingController;

  const report: TopicReport = { from: 1, to: 2, questions: 3, seconds: 0.1, topics: [] };
  const isTopics = (r: { url: string }) => r.url === '/api/v1/insights/topics';

  /** Subscribes to `call`, recording what it emits, whether it completed and how it failed. */
  function watch<T>(call: Observable<Analysis<T>>) {
    const seen = { values: [] as Analysis<T>[], complete: false, error: null as unknown };
    const sub = call.subscribe({
      next: (v) => seen.values.push(v),
      complete: () => (seen.complete = true),
      error: (err: unknown) => (seen.error = err),
    });
    return { seen, sub };
  }

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), fastPolling],
    });
    api = TestBed.inject(ApiService);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  it('passes a 200 through unchanged, as the result, and asks about no job', async () => {
    const { seen } = watch<TopicReport>(api.topics(1, 2));
    backend.expectOne(isTopics).flush(report);
    expect(seen.values).toEqual([{ done: true, result: report }]);
    expect(seen.complete).toBe(true);

    const body = comparisonFixture();
    const compared = watch<ModelComparison>(api.modelComparison('linear-2'));
    backend.expectOne('/api/v1/models/linear-2/comparison').flush(body);
    expect(compared.seen.values).toEqual([{ done: true, result: body }]);
    await severalPolls();
    backend.expectNone((r) => r.url.startsWith('/api/v1/analysis-jobs'));
  });

  it('follows a 202 job about once per interval until it succeeds, then gives its result', async () => {
    const { seen } = watch<TopicReport>(api.topics(1, 2));
    const first = analysisJob({ id: 7, progress: { percent: 10, stage: 'reading' } });
    accept(backend.expectOne(isTopics), first);
    expect(seen.values).toEqual([{ done: false, job: first }]);

    const grouping = analysisJob({ id: 7, progress: { percent: 40, stage: 'grouping' } });
    const poll = await nextJobPoll(backend, 7);
    expect(poll.request.method).toBe('GET');
    poll.flush(grouping);
    expect(seen.values.at(-1)).toEqual({ done: false, job: grouping });
    expect(seen.complete).toBe(false);

    (await nextJobPoll(backend, 7)).flush(
      analysisJob({
        id: 7,
        status: 'succeeded',
        progress: { percent: 100, stage: 'done' },
        finished_at: 1733470003000,
        result: report,
      }),
    );
    expect(seen.values.length).toBe(3);
    expect(seen.values.at(-1)).toEqual({ done: true, result: report });
    expect(seen.complete).toBe(true);
    await severalPolls();
    backend.expectNone('/api/v1/analysis-jobs/7');
  });

  it("fails with the job's message when the job fails", async () => {
    const { seen } = watch<ModelComparison>(api.modelComparison('linear-2'));
    accept(
      backend.expectOne('/api/v1/models/linear-2/comparison'),
      analysisJob({ id: 9, kind: 'comparison' }),
    );
    (await nextJobPoll(backend, 9)).flush(
      analysisJob({
        id: 9,
        kind: 'comparison',
        status: 'failed',
        error: 'the store could not be read',
        finished_at: 2,
      }),
    );
    expect(seen.error).toBeInstanceOf(AnalysisFailed);
    expect(describeError(seen.error)).toBe('the store could not be read');
    expect(seen.values.length).toBe(1);
    await severalPolls();
    backend.expectNone('/api/v1/analysis-jobs/9');
  });

  it('says the job failed when the server gives no reason, or succeeded without a result', async () => {
    const failed = watch<TopicReport>(api.topics(1, 2));
    accept(backend.expectOne(isTopics), analysisJob({ id: 3, status: 'failed' }));
    expect(describeError(failed.seen.error)).toBe('The analysis failed (job #3).');

    const empty = watch<TopicReport>(api.topics(1, 2));
    accept(backend.expectOne(isTopics), analysisJob({ id: 4 }));
    (await nextJobPoll(backend, 4)).flush(analysisJob({ id: 4, status: 'succeeded' }));
    expect(describeError(empty.seen.error)).toBe('The analysis finished without a result.');
  });

  it("shows a refused poll (an unknown job: 404) with the server's message", async () => {
    const { seen } = watch<TopicReport>(api.topics(1, 2));
    accept(backend.expectOne(isTopics), analysisJob({ id: 5 }));
    refuse(await nextJobPoll(backend, 5), 404, 'not_found', 'no analysis job 5');
    expect(seen.error).toBeInstanceOf(HttpErrorResponse);
    expect(describeError(seen.error)).toBe('no analysis job 5');
  });

  it('stops following the job when unsubscribed, also with a poll on its way', async () => {
    const { seen, sub } = watch<TopicReport>(api.topics(1, 2));
    accept(backend.expectOne(isTopics), analysisJob({ id: 6 }));
    const poll = await nextJobPoll(backend, 6);
    sub.unsubscribe();
    expect(poll.cancelled).toBe(true);
    await severalPolls();
    backend.expectNone('/api/v1/analysis-jobs/6');
    expect(seen.values.length).toBe(1);

    // Unsubscribed while waiting for the next poll: none goes out.
    const waiting = watch<TopicReport>(api.topics(1, 2));
    accept(backend.expectOne(isTopics), analysisJob({ id: 8 }));
    waiting.sub.unsubscribe();
    await severalPolls();
    backend.expectNone('/api/v1/analysis-jobs/8');
  });

  it('refuses a 202 that names no job', () => {
    const { seen } = watch<TopicReport>(api.topics(1, 2));
    backend.expectOne(isTopics).flush({}, { status: 202, statusText: 'Accepted' });
    expect(describeError(seen.error)).toBe(
      'The server accepted the request but named no job to follow.',
    );
  });
});
