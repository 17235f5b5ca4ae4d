import { HttpTestingController, TestRequest } from '@angular/common/http/testing';
import { Example } from '../core/api.types';
import { createWithBackend, enter, refuse, settle, text } from '../testing/page-testing';
import { TrainingDataPage } from './training-data-page';

const example = (id: number, text: string, label = 'order_status'): Example => ({
  id,
  text,
  label,
  source: 'demo',
});

describe('TrainingDataPage', () => {
  let backend: HttpTestingController;

  const isList = (r: { url: string; method: string }) =>
    r.method === 'GET' && r.url === '/api/v1/training-examples';

  function answerCategories(names = ['order_status', 'refund']) {
    backend.expectOne('/api/v1/categories').flush({ items: names.map((name) => ({ name })) });
  }

  function answerList(items: Example[], total = items.length, offset = 0): TestRequest {
    const req = backend.expectOne(isList);
    req.flush({ items, total, limit: 25, offset });
    return req;
  }

  /** The page once it has its categories and the first page of `items`; `first` is that page's request. */
  async function create(items: Example[] = [], total = items.length) {
    const page = await createWithBackend(TrainingDataPage);
    backend = page.backend;
    answerCategories();
    const first = answerList(items, total);
    await settle();
    return {
      root: page.fixture.nativeElement as HTMLElement,
      page: page.fixture.componentInstance,
      first,
    };
  }

  afterEach(() => backend.verify());

  it('lists the first page of examples and offers the categories', async () => {
    const { root, first } = await create(
      [example(1, 'where is my parcel'), example(2, 'money back', 'refund')],
      30,
    );
    expect(first.request.params.get('limit')).toBe('25');
    expect(first.request.params.get('offset')).toBe('0');
    expect(first.request.params.has('search')).toBe(false);
    const rows = Array.from(root.querySelectorAll('tbody tr[data-example]'));
    const cells = (row: Element) => Array.from(row.querySelectorAll('td')).map(text);
    expect(rows.map(cells)).toEqual([
      ['where is my parcel', 'Order status', 'demo', 'Delete'],
      ['money back', 'Refund', 'demo', 'Delete'],
    ]);
    expect(
      Array.from(root.querySelectorAll('#category-names option')).map((o) =>
        o.getAttribute('value'),
      ),
    ).toEqual(['order_status', 'refund']);
    expect(text(root.querySelector('.pager .range'))).toBe('1–25 of 30 (page 1 of 2)');
  });

  it('searches by text and category, and says when nothing matches', async () => {
    const { root } = await create([example(1, 'where is my parcel')]);
    await enter(root.querySelector('#ex-search'), '  nothing like it ');
    await enter(root.querySelector('#ex-category'), 'refund');
    root.querySelector<HTMLButtonElement>('form[role="search"] button[type="submit"]')!.click();
    await settle();
    const req = answerList([]);
    expect(req.request.params.get('search')).toBe('nothing like it');
    expect(req.request.params.get('category')).toBe('refund');
    await settle();
    expect(text(root.querySelector('tbody'))).toBe('No examples match.');
  });

  it('adds an example, then reloads the list and the categories', async () => {
    const { root } = await create();
    const submit = root.querySelector<HTMLButtonElement>(
      'form[aria-labelledby="add-title"] button',
    )!;
    await enter(root.querySelector('#ex-text'), 'my card was charged twice');
    submit.click();
    await settle();
    expect(text(root.querySelector('[role="alert"]'))).toBe(
      'Both the question and its category are needed.',
    );

    await enter(root.querySelector('#ex-label'), 'payment_billing');
    submit.click();
    const post = backend.expectOne({ method: 'POST', url: '/api/v1/training-examples' });
    expect(post.request.body).toEqual({
      text: 'my card was charged twice',
      label: 'payment_billing',
    });
    post.flush({ id: 3 });
    await settle();
    answerList([example(3, 'my card was charged twice', 'payment_billing')]);
    answerCategories(['order_status', 'payment_billing', 'refund']);
    await settle();
    expect(text(root.querySelector('[role="status"]'))).toBe(
      'Added “my card was charged twice” to Payment billing.',
    );
    expect(root.querySelector('[role="alert"]')).toBeNull();
    expect(root.querySelectorAll('tbody tr[data-example]').length).toBe(1);
  });

  it('deletes an example and shows a refusal as a readable message', async () => {
    const { root } = await create([example(7, 'hello'), example(8, 'bye')]);
    root.querySelector<HTMLButtonElement>('button[aria-label="Delete example 7"]')!.click();
    backend.expectOne({ method: 'DELETE', url: '/api/v1/training-examples/7' }).flush(null);
    await settle();
    answerList([example(8, 'bye')]);
    await settle();
    expect(text(root.querySelector('[role="status"]'))).toBe('Deleted “hello”.');

    root.querySelector<HTMLButtonElement>('button[aria-label="Delete example 8"]')!.click();
    refuse(backend.expectOne('/api/v1/training-examples/8'), 404, 'not_found', 'no example 8');
    await settle();
    expect(text(root.querySelector('[role="alert"]'))).toBe('no example 8');
  });

  it('imports a CSV file and names the line the server stopped at', async () => {
    const { root, page } = await create();
    const file = new File(['text,label\n"broken,refund\n'], 'bad.csv', { type: 'text/csv' });
    page.pick([file] as unknown as FileList);
    await settle();
    root.querySelector<HTMLButtonElement>('form[aria-labelledby="import-title"] button')!.click();
    await vi
      .waitFor(() => backend.expectOne('/api/v1/training-examples/import'), { timeout: 1000 })
      .then((req) => {
        expect(req.request.body).toBe('text,label\n"broken,refund\n');
        refuse(req, 422, 'invalid_argument', 'upload:2: unterminated quoted field');
      });
    await settle();
    const report = root.querySelector('.import-error');
    expect(text(report?.querySelector('strong') ?? null)).toBe(
      'Import failed, nothing was stored.',
    );
    expect(text(report?.querySelector('p') ?? null)).toBe(
      'Line 2 of bad.csv: unterminated quoted field',
    );
  });
});
