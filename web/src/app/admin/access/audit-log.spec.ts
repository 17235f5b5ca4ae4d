import { HttpTestingController, TestRequest } from '@angular/common/http/testing';
import { ComponentFixture } from '@angular/core/testing';
import { AUDIT_ACTIONS, AuditEntry } from '../../core/api.types';
import { createWithBackend, enter, settle, text } from '../../testing/page-testing';
import { auditTime } from './audit-format';
import { AuditLog } from './audit-log';

const entry = (id: number, over: Partial<AuditEntry> = {}): AuditEntry => ({
  id,
  at: 1733450000000 + id * 1000,
  actor: 'alice',
  action: 'category.save',
  target: 'refunds',
  detail: {},
  ...over,
});

describe('AuditLog', () => {
  let backend: HttpTestingController;
  let fixture: ComponentFixture<AuditLog>;
  let root: HTMLElement;

  const isAudit = (r: { method: string; url: string }) =>
    r.method === 'GET' && r.url === '/api/v1/audit';
  const button = (label: string) =>
    Array.from(root.querySelectorAll('button')).find((b) => text(b) === label)!;
  const cells = (id: number) =>
    Array.from(root.querySelectorAll(`tr[data-audit="${id}"] td`)).map(text);

  async function flush(req: TestRequest, items: AuditEntry[], total = items.length, offset = 0) {
    req.flush({ items, total, limit: 50, offset });
    await settle();
  }

  async function create(items: AuditEntry[], total = items.length) {
    const page = await createWithBackend(AuditLog);
    backend = page.backend;
    fixture = page.fixture;
    root = fixture.nativeElement;
    const first = backend.expectOne(isAudit);
    expect(first.request.params.get('limit')).toBe('50');
    expect(first.request.params.get('offset')).toBe('0');
    expect(first.request.params.has('actor')).toBe(false);
    expect(first.request.params.has('action')).toBe(false);
    await flush(first, items, total);
  }

  afterEach(() => backend.verify());

  it('shows each action with its time, actor, target and what changed', async () => {
    const long = 'Your refund is on its way. '.repeat(4).trim();
    await create([
      entry(9, {
        action: 'category.save',
        detail: { response_changed: true, response: long, recommendations: [{ title: 'x' }] },
      }),
      entry(8, { actor: 'cli', action: 'customer_data.erase', target: '', detail: {} }),
    ]);
    expect(Array.from(root.querySelectorAll('thead th')).map(text)).toEqual([
      'Time',
      'Actor',
      'Action',
      'Target',
      'Detail',
    ]);
    const first = cells(9);
    expect(first.slice(0, 4)).toEqual([
      auditTime(entry(9).at),
      'alice',
      'category.save',
      'refunds',
    ]);
    const pairs = Array.from(root.querySelectorAll('tr[data-audit="9"] .pair')).map(text);
    expect(pairs).toEqual([
      'response_changed: true',
      `response: ${long.slice(0, 59)}…`,
      'recommendations: [{"title":"x"}]',
    ]);
    const values = root.querySelectorAll('tr[data-audit="9"] .value');
    expect(values[0].getAttribute('title')).toBeNull();
    expect(values[1].getAttribute('title')).toBe(long);
    expect(root.querySelector('tr[data-audit="9"] time')!.getAttribute('datetime')).toBe(
      new Date(entry(9).at).toISOString(),
    );
    // No target and no detail: a dash each.
    expect(cells(8).slice(1)).toEqual(['cli', 'customer_data.erase', '–', '–']);
  });

  it('offers every action, and "any", as a filter', async () => {
    await create([]);
    const options = Array.from(root.querySelectorAll('#audit-action option'));
    expect(options.map(text)).toEqual(['any', ...AUDIT_ACTIONS]);
    expect(options.map((o) => o.getAttribute('value'))).toEqual(['', ...AUDIT_ACTIONS]);
    expect(text(root.querySelector('tbody'))).toBe('No actions match.');
  });

  it('sends the actor and the action filters, and leaves them out after Reset', async () => {
    await create([entry(1)]);
    await enter(root.querySelector('#audit-actor'), '  bob ');
    await enter(root.querySelector('#audit-action'), 'token.revoke');
    button('Apply').click();
    await settle();
    const filtered = backend.expectOne(isAudit);
    expect(filtered.request.params.get('actor')).toBe('bob');
    expect(filtered.request.params.get('action')).toBe('token.revoke');
    expect(filtered.request.params.get('offset')).toBe('0');
    expect(filtered.request.params.get('limit')).toBe('50');
    await flush(filtered, [entry(2, { actor: 'bob', action: 'token.revoke' })]);
    expect(root.querySelectorAll('tbody tr[data-audit]').length).toBe(1);
    expect(cells(2)[2]).toBe('token.revoke');

    button('Reset').click();
    await settle();
    const all = backend.expectOne(isAudit);
    expect(all.request.params.has('actor')).toBe(false);
    expect(all.request.params.has('action')).toBe(false);
    await flush(all, []);
    expect(root.querySelector<HTMLInputElement>('#audit-actor')!.value).toBe('');
    expect(root.querySelector<HTMLSelectElement>('#audit-action')!.value).toBe('');
  });

  it('pages 50 at a time, keeping the filters', async () => {
    await create(
      Array.from({ length: 50 }, (_, i) => entry(120 - i)),
      120,
    );
    expect(text(root.querySelector('.pager .range'))).toBe('1–50 of 120 (page 1 of 3)');
    await enter(root.querySelector('#audit-actor'), 'alice');
    button('Apply').click();
    await settle();
    await flush(backend.expectOne(isAudit), [entry(1)], 120);

    button('Next').click();
    await settle();
    const next = backend.expectOne(isAudit);
    expect(next.request.params.get('offset')).toBe('50');
    expect(next.request.params.get('actor')).toBe('alice');
    await flush(next, [entry(70)], 120, 50);
    expect(text(root.querySelector('.pager .range'))).toBe('51–100 of 120 (page 2 of 3)');
  });

  it('reads the log again when the page says something changed', async () => {
    await create([entry(1)]);
    fixture.componentRef.setInput('revision', 1);
    await settle();
    await flush(backend.expectOne(isAudit), [entry(2, { action: 'token.create' }), entry(1)]);
    expect(root.querySelectorAll('tbody tr[data-audit]').length).toBe(2);
  });

  it('shows a failure to load', async () => {
    const page = await createWithBackend(AuditLog);
    backend = page.backend;
    root = page.fixture.nativeElement;
    backend
      .expectOne(isAudit)
      .flush(
        { error: { code: 'internal', message: 'the store failed' } },
        { status: 500, statusText: 'Error' },
      );
    await settle();
    expect(text(root.querySelector('[role="alert"]'))).toBe('the store failed');
  });
});
