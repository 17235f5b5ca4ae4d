import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ApiService, auditParams, interactionParams, localDayStart } from './api.service';

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
    api.modelComparison('linear-2 b').subscribe((c) => (active = c.active));
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
      .subscribe((r) => (sizes = r.topics.map((t) => t.size)));
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
