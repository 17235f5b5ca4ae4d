import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ApiService, interactionParams, localDayStart } from './api.service';

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
