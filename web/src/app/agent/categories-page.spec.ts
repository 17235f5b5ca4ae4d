import { HttpTestingController } from '@angular/common/http/testing';
import { Category } from '../core/api.types';
import { createWithBackend, enter, refuse, settle, text } from '../testing/page-testing';
import { CategoriesPage, toRecommendations } from './categories-page';

const orderStatus: Category = {
  name: 'order_status',
  description: 'Where is my order',
  response: 'You can follow your parcel on the orders page.',
  recommendations: [
    {
      title: 'Track it',
      body: 'Use the tracking link.',
      action: { label: 'Orders', url: '/orders' },
    },
  ],
  example_count: 12,
};
const refund: Category = {
  name: 'refund',
  description: '',
  response: 'Refunds take 5 days.',
  recommendations: [],
};

describe('toRecommendations', () => {
  it('drops empty drafts and keeps an action only with both its label and its address', () => {
    expect(
      toRecommendations([
        { title: ' A ', body: 'b', actionLabel: 'Go', actionUrl: ' /a ' },
        { title: 'C', body: '', actionLabel: 'Go', actionUrl: '' },
        { title: ' ', body: ' ', actionLabel: 'x', actionUrl: '/x' },
      ]),
    ).toEqual([
      { title: 'A', body: 'b', action: { label: 'Go', url: '/a' } },
      { title: 'C', body: '', action: null },
    ]);
  });
});

describe('CategoriesPage', () => {
  let backend: HttpTestingController;

  function answerList(items: Category[] = [orderStatus, refund]) {
    backend.expectOne({ method: 'GET', url: '/api/v1/categories' }).flush({ items });
  }

  async function create() {
    const page = await createWithBackend(CategoriesPage);
    backend = page.backend;
    answerList();
    await settle();
    return page.fixture.nativeElement as HTMLElement;
  }

  const button = (root: HTMLElement, name: string) =>
    Array.from(root.querySelectorAll('button')).find((b) => text(b) === name) as HTMLButtonElement;

  /** Clicks the button named `name` and lets the page catch up. */
  async function press(root: HTMLElement, name: string) {
    button(root, name).click();
    await settle();
  }

  afterEach(() => backend.verify());

  it('lists the categories and opens one with its answer and recommendations', async () => {
    const root = await create();
    expect(Array.from(root.querySelectorAll('.cat-list li')).map(text)).toEqual([
      'Order status 12 examples',
      'Refund 0 examples',
    ]);
    await press(root, 'Order status');
    expect(text(root.querySelector('#editor-title'))).toBe('Edit Order status');
    expect(button(root, 'Order status').getAttribute('aria-current')).toBe('true');
    expect(root.querySelector<HTMLTextAreaElement>('#c-response')!.value).toBe(
      'You can follow your parcel on the orders page.',
    );
    expect(root.querySelector<HTMLInputElement>('#r-url-0')!.value).toBe('/orders');
    expect(Array.from(root.querySelectorAll('#c-reassign option')).map(text)).toEqual([
      '(nothing: only when unused)',
      'Refund',
    ]);
  });

  it('saves an edited category, then reloads the list', async () => {
    const root = await create();
    await press(root, 'Order status');
    await enter(root.querySelector('#c-response'), 'Look at the orders page.');
    button(root, 'Save').click();
    const put = backend.expectOne({ method: 'PUT', url: '/api/v1/categories/order_status' });
    expect(put.request.body).toEqual({
      description: 'Where is my order',
      response: 'Look at the orders page.',
      small_talk: false,
      recommendations: [
        {
          title: 'Track it',
          body: 'Use the tracking link.',
          action: { label: 'Orders', url: '/orders' },
        },
      ],
    });
    put.flush({ ...orderStatus, response: 'Look at the orders page.' });
    await settle();
    answerList();
    await settle();
    expect(text(root.querySelector('[role="status"]'))).toBe('Saved Order status.');
  });

  it('asks for a name before creating a category, and shows the server refusing it', async () => {
    const root = await create();
    await press(root, 'New category');
    expect(text(root.querySelector('#editor-title'))).toBe('New category');
    await press(root, 'Save');
    expect(text(root.querySelector('[role="alert"]'))).toBe('A category needs a name.');

    await enter(root.querySelector('#c-name'), 'bad name');
    button(root, 'Save').click();
    const put = backend.expectOne({ method: 'PUT', url: '/api/v1/categories/bad%20name' });
    refuse(put, 400, 'invalid_argument', 'a category name has no spaces');
    await settle();
    expect(text(root.querySelector('[role="alert"]'))).toBe('a category name has no spaces');
  });

  it('deletes a category, moving its examples to another one', async () => {
    const root = await create();
    await press(root, 'Order status');
    await enter(root.querySelector('#c-reassign'), 'refund');
    button(root, 'Delete Order status').click();
    const del = backend.expectOne(
      (r) => r.method === 'DELETE' && r.url === '/api/v1/categories/order_status',
    );
    expect(del.request.params.get('reassign_to')).toBe('refund');
    del.flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    answerList([refund]);
    await settle();
    expect(text(root.querySelector('[role="status"]'))).toBe('Deleted Order status.');
    expect(root.querySelector('#editor-title')).toBeNull();
    expect(Array.from(root.querySelectorAll('.cat-list li')).map(text)).toEqual([
      'Refund 0 examples',
    ]);
  });
});
