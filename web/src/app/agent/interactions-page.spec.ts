import { HttpTestingController } from '@angular/common/http/testing';
import { Interaction } from '../core/api.types';
import { createWithBackend, enter, interaction, settle, text } from '../testing/page-testing';
import { InteractionsPage } from './interactions-page';

describe('InteractionsPage', () => {
  let backend: HttpTestingController;

  const isList = (r: { method: string; url: string }) =>
    r.method === 'GET' && r.url === '/api/v1/interactions';

  async function create(items: Interaction[]) {
    const page = await createWithBackend(InteractionsPage);
    backend = page.backend;
    backend.expectOne('/api/v1/categories').flush({ items: [{ name: 'order_status' }] });
    backend.expectOne(isList).flush({ items, total: items.length, limit: 25, offset: 0 });
    await settle();
    return page.fixture.nativeElement as HTMLElement;
  }

  const choose = (root: HTMLElement, id: string, value: string) =>
    enter(root.querySelector(id), value);

  afterEach(() => backend.verify());

  it('shows the feedback and the review of each interaction', async () => {
    const root = await create([
      interaction(1, {
        feedback: { helpful: false, category: 'order_status', comment: 'where is it' },
        review: 'relabeled',
        reviewed_category: 'order_status',
      }),
      interaction(2, { handoff: true }),
    ]);
    const cells = Array.from(root.querySelectorAll('tr[data-interaction="1"] td')).map(text);
    expect(cells.slice(1)).toEqual([
      'question 1',
      'Payment billing',
      '42.0%',
      'no',
      'not helpful, about Order status where is it',
      'relabeled → Order status',
    ]);
    const second = Array.from(root.querySelectorAll('tr[data-interaction="2"] td')).map(text);
    expect(second.slice(4)).toEqual(['yes', '–', '–']);
  });

  it('shows a "Did you mean …?" question under the query: the choice, something else or no reply', async () => {
    const options = ['order_status', 'refunds'];
    const root = await create([
      interaction(1, { clarification: { options, choice: 'refunds', chosen_at: 10 } }),
      interaction(2, { clarification: { options, choice: null, chosen_at: 10 } }),
      interaction(3, { clarification: { options, choice: null, chosen_at: null } }),
      interaction(4),
    ]);
    const note = (id: number) =>
      text(root.querySelector(`tr[data-interaction="${id}"] .clarification`));
    expect(note(1)).toBe('Asked: Order status / Refunds → chose Refunds');
    expect(note(2)).toBe('Asked: Order status / Refunds → something else');
    expect(note(3)).toBe('Asked: Order status / Refunds → no reply');
    expect(root.querySelector('tr[data-interaction="4"] .clarification')).toBeNull();
    expect(text(root.querySelector('tr[data-interaction="1"] td:nth-child(2)'))).toBe(
      'question 1 Asked: Order status / Refunds → chose Refunds',
    );
  });

  it('shows what each question names as chips under it, none for older data', async () => {
    const root = await create([
      interaction(1, {
        query: 'where is SD-482913, paid £75 yesterday',
        entities: [
          { kind: 'order_number', text: 'SD-482913', value: 'SD-482913' },
          { kind: 'money', text: '£75', value: '75.00 GBP' },
          { kind: 'date', text: 'yesterday', value: '2026-12-05' },
        ],
        clarification: { options: ['order_status', 'refunds'], choice: null, chosen_at: null },
      }),
      interaction(2, { entities: [] }),
      interaction(3),
    ]);
    const question = root.querySelector('tr[data-interaction="1"] td:nth-child(2)')!;
    expect(Array.from(question.querySelectorAll('.entity-chips li')).map(text)).toEqual([
      'Order SD-482913',
      'Amount 75.00 GBP',
      'Date 2026-12-05',
    ]);
    // The question, its chips, then the "Did you mean …?" line.
    expect(text(question)).toMatch(/^where is SD-482913, paid £75 yesterday Order SD-482913 /);
    expect(question.querySelector('app-entity-chips + .clarification')).not.toBeNull();
    expect(root.querySelector('tr[data-interaction="2"] .entity-chips')).toBeNull();
    expect(root.querySelector('tr[data-interaction="3"] .entity-chips')).toBeNull();
  });

  it('sends the filters, and refuses a date range that ends before it starts', async () => {
    const root = await create([]);
    expect(text(root.querySelector('tbody'))).toBe('No interactions match.');
    await choose(root, '#f-category', 'order_status');
    await choose(root, '#f-feedback', 'corrected');
    await choose(root, '#f-from', '2026-03-02');
    await choose(root, '#f-to', '2026-03-01');
    root.querySelector<HTMLButtonElement>('form button[type="submit"]')!.click();
    await settle();
    expect(text(root.querySelector('[role="alert"]'))).toBe('"From" must not be after "To".');

    await choose(root, '#f-to', '2026-03-03');
    root.querySelector<HTMLButtonElement>('form button[type="submit"]')!.click();
    await settle();
    const req = backend.expectOne(isList);
    expect(req.request.params.get('category')).toBe('order_status');
    expect(req.request.params.get('feedback')).toBe('corrected');
    expect(Number(req.request.params.get('from'))).toBe(new Date(2026, 2, 2).getTime());
    expect(req.request.params.get('offset')).toBe('0');
    req.flush({ items: [interaction(5)], total: 1, limit: 25, offset: 0 });
    await settle();
    expect(root.querySelector('[role="alert"]')).toBeNull();
    expect(root.querySelectorAll('tbody tr[data-interaction]').length).toBe(1);

    const reset = Array.from(root.querySelectorAll('button')).find((b) => text(b) === 'Reset')!;
    reset.click();
    await settle();
    const all = backend.expectOne(isList);
    expect(all.request.params.has('category')).toBe(false);
    all.flush({ items: [], total: 0, limit: 25, offset: 0 });
    await settle();
    expect(root.querySelector<HTMLSelectElement>('#f-category')!.value).toBe('');
  });
});
