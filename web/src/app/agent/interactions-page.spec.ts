import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Interaction } from '../core/api.types';
import { InteractionsPage } from './interactions-page';

const interaction = (id: number, over: Partial<Interaction> = {}): Interaction => ({
  id,
  query: `question ${id}`,
  category: 'payment_billing',
  confidence: 0.42,
  response: 'r',
  handoff: false,
  model_version: 'v',
  session_id: null,
  created_at: 0,
  feedback: null,
  review: null,
  reviewed_category: null,
  ...over,
});

describe('InteractionsPage', () => {
  let backend: HttpTestingController;

  const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
  const isList = (r: { method: string; url: string }) =>
    r.method === 'GET' && r.url === '/api/v1/interactions';

  /** Lets resources take their answers and the view catch up; whenStable would wait for open requests. */
  async function settle() {
    await new Promise((r) => setTimeout(r));
    TestBed.tick();
  }

  async function create(items: Interaction[]) {
    TestBed.configureTestingModule({
      imports: [InteractionsPage],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    backend = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(InteractionsPage);
    fixture.detectChanges();
    await settle();
    backend.expectOne('/api/v1/categories').flush({ items: [{ name: 'order_status' }] });
    backend.expectOne(isList).flush({ items, total: items.length, limit: 25, offset: 0 });
    await settle();
    return fixture.nativeElement as HTMLElement;
  }

  async function choose(root: HTMLElement, id: string, value: string) {
    const el = root.querySelector<HTMLInputElement | HTMLSelectElement>(id)!;
    el.value = value;
    el.dispatchEvent(new Event(el.tagName === 'SELECT' ? 'change' : 'input'));
    await settle();
  }

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

  it('sends the filters, and refuses a date range that ends before it starts', async () => {
    const root = await create([]);
    expect(text(root.querySelector('tbody'))).toBe('No interactions match.');
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
    expect(req.request.params.get('feedback')).toBe('corrected');
    expect(Number(req.request.params.get('from'))).toBe(new Date(2026, 2, 2).getTime());
    expect(req.request.params.get('offset')).toBe('0');
    req.flush({ items: [interaction(5)], total: 1, limit: 25, offset: 0 });
    await settle();
    expect(root.querySelector('[role="alert"]')).toBeNull();
    expect(root.querySelectorAll('tbody tr[data-interaction]').length).toBe(1);
  });
});
