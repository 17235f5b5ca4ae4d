import { of } from 'rxjs';
import { Interaction, ReviewAction } from '../core/api.types';
import {
  createWithApi,
  createWithBackend,
  interaction,
  settle,
  text,
} from '../testing/page-testing';
import { ReviewPage } from './review-page';

const item = (id: number, over: Partial<Interaction> = {}): Interaction =>
  interaction(id, { category: 'account_access', confidence: 0.2, handoff: true, ...over });

describe('ReviewPage', () => {
  let calls: { id: number; action: ReviewAction; category?: string }[];

  function create(items: Interaction[]) {
    calls = [];
    const api = {
      categories: () => of([{ name: 'account_access' }, { name: 'order_status' }]),
      reviewQueue: () => of({ items, total: items.length, limit: 20, offset: 0 }),
      review: (id: number, action: ReviewAction, category?: string) => {
        calls.push({ id, action, category });
        return of(item(id));
      },
    };
    return createWithApi(ReviewPage, api);
  }

  it("relabels with the customer's correction by default and takes the item off the queue", async () => {
    const fixture = create([
      item(1, { feedback: { helpful: false, category: 'order_status' } }),
      item(2),
    ]);
    await fixture.whenStable();
    const first: HTMLElement = fixture.nativeElement.querySelector('[data-interaction="1"]');
    expect(first.querySelector('select')!.value).toBe('order_status');
    (
      Array.from(first.querySelectorAll('button')).find(
        (b) => b.textContent?.trim() === 'Relabel',
      ) as HTMLButtonElement
    ).click();
    await fixture.whenStable();
    expect(calls).toEqual([{ id: 1, action: 'relabel', category: 'order_status' }]);
    expect(fixture.componentInstance.page.items().map((i) => i.id)).toEqual([2]);
    expect(fixture.componentInstance.page.total()).toBe(1);
    expect(fixture.nativeElement.textContent).toContain('#1 relabeled as Order status.');
  });

  it('resolves and ignores without a category', async () => {
    const fixture = create([item(1), item(2)]);
    await fixture.whenStable();
    fixture.componentInstance.act(item(1), 'resolve');
    fixture.componentInstance.act(item(2), 'ignore');
    expect(calls).toEqual([
      { id: 1, action: 'resolve', category: undefined },
      { id: 2, action: 'ignore', category: undefined },
    ]);
    expect(fixture.componentInstance.page.items()).toEqual([]);
  });

  it('shows what the customer was asked to choose between and what they chose', async () => {
    const fixture = create([
      item(1, {
        handoff: true,
        clarification: { options: ['order_status', 'refunds'], choice: null, chosen_at: 9 },
      }),
      item(2),
    ]);
    await fixture.whenStable();
    const root: HTMLElement = fixture.nativeElement;
    expect(text(root.querySelector('[data-interaction="1"] .clarification'))).toBe(
      'Asked: Order status / Refunds → something else',
    );
    expect(root.querySelector('[data-interaction="2"] .clarification')).toBeNull();
  });

  it('shows the order number and the other details a question names, over the real API client', async () => {
    const { fixture, backend } = await createWithBackend(ReviewPage);
    backend.expectOne('/api/v1/categories').flush({ items: [{ name: 'account_access' }] });
    const queue = backend.expectOne((r) => r.url === '/api/v1/review');
    queue.flush({
      items: [
        item(1, {
          query: 'order SD-482913 in size 44, mail Ann@Example.com',
          entities: [
            { kind: 'order_number', text: 'SD-482913', value: 'SD-482913' },
            { kind: 'size', text: 'size 44', value: '44' },
            { kind: 'email', text: 'Ann@Example.com', value: 'ann@example.com' },
            { kind: 'gift_card', text: 'GC 7', value: 'GC-7' },
          ],
        }),
        item(2),
      ],
      total: 2,
      limit: 20,
      offset: 0,
    });
    await settle();
    const root: HTMLElement = fixture.nativeElement;
    const chips = root.querySelectorAll('[data-interaction="1"] .entity-chips li');
    expect(Array.from(chips).map(text)).toEqual([
      'Order SD-482913',
      'Size 44',
      'Email ann@example.com',
      'Gift card GC-7',
    ]);
    expect(chips[2].getAttribute('title')).toBe('Written as “Ann@Example.com”');
    // Right under the question, before the answer's details.
    const first = root.querySelector('[data-interaction="1"]')!;
    expect(first.querySelector('.query + app-entity-chips')).not.toBeNull();
    expect(root.querySelector('[data-interaction="2"] .entity-chips')).toBeNull();
    backend.verify();
  });
});
