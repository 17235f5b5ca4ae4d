import { HttpTestingController, TestRequest } from '@angular/common/http/testing';
import { ComponentFixture } from '@angular/core/testing';
import { Topic } from '../../core/api.types';
import { createWithBackend, enter, refuse, settle, text } from '../../testing/page-testing';
import { TopicCard, addedText, createdText, questionCount } from './topic-card';

const topic = (over: Partial<Topic> = {}): Topic => ({
  id: 3,
  size: 12,
  keywords: ['gift card', 'balance', 'card'],
  questions: [
    'how do I check my gift card balance',
    'what is left on my gift card',
    'gift card balance?',
  ],
  interaction_ids: [101, 102, 103],
  closest: { category: 'payment_billing', similarity: 0.31 },
  new: false,
  ...over,
});

const ASSIGN = '/api/v1/insights/topics/assign';
const CATEGORIES = '/api/v1/categories';

describe('topic texts', () => {
  it('counts questions, and mentions skipped ones only when there are some', () => {
    expect(questionCount(1)).toBe('1 question');
    expect(questionCount(0)).toBe('0 questions');
    expect(questionCount(1200)).toBe('1,200 questions');
    expect(addedText({ assigned: 12, skipped: 0 }, 'payment_billing')).toBe(
      '12 questions added to payment_billing',
    );
    expect(addedText({ assigned: 11, skipped: 1 }, 'payment_billing')).toBe(
      '11 questions added to payment_billing (1 skipped: already reviewed or erased)',
    );
    expect(createdText({ assigned: 1, skipped: 0 }, 'gift_wrapping')).toBe(
      'Category gift_wrapping created with 1 question',
    );
  });
});

describe('TopicCard', () => {
  let backend: HttpTestingController;
  let fixture: ComponentFixture<TopicCard>;
  let root: HTMLElement;
  let resolved: string[];

  const button = (label: string) =>
    Array.from(root.querySelectorAll('button')).find((b) => text(b) === label) ?? null;
  const alert = () => text(root.querySelector('[role="alert"]'));
  const field = <T extends Element>(name: string) => root.querySelector<T>(`#topic-3-${name}`)!;

  async function create(t: Topic = topic()) {
    const page = await createWithBackend(TopicCard, { inputs: { topic: t } });
    backend = page.backend;
    fixture = page.fixture;
    root = fixture.nativeElement;
    resolved = [];
    fixture.componentInstance.resolved.subscribe((m) => resolved.push(m));
  }

  async function answer(req: TestRequest, body: object | null): Promise<void> {
    req.flush(body);
    await settle();
  }

  async function openForm(): Promise<void> {
    button('New category…')!.click();
    await settle();
  }

  async function submit(): Promise<void> {
    root.querySelector<HTMLButtonElement>('form button[type="submit"]')!.click();
    await settle();
  }

  afterEach(() => {
    vi.restoreAllMocks();
    backend.verify();
  });

  it('shows the size, the keywords, the questions quoted and the closest category', async () => {
    await create();
    const card = root.querySelector('article[data-topic="3"]')!;
    expect(text(card.querySelector('h3'))).toBe('12 questions');
    expect(Array.from(card.querySelectorAll('.keywords li')).map(text)).toEqual([
      'gift card',
      'balance',
      'card',
    ]);
    expect(Array.from(card.querySelectorAll('.questions li')).map(text)).toEqual([
      '“how do I check my gift card balance”',
      '“what is left on my gift card”',
      '“gift card balance?”',
    ]);
    expect(text(card.querySelector('.closest'))).toBe(
      'Closest category: payment_billing, similarity 0.31',
    );
    expect(card.querySelector('.badge')).toBeNull();
    expect(button('Add to payment_billing')).not.toBeNull();
    expect(button('New category…')).not.toBeNull();
    expect(root.querySelector('form')).toBeNull();
  });

  it('marks a new topic, quotes five questions at most, and offers no "Add to" without a closest category', async () => {
    await create(
      topic({
        size: 1,
        new: true,
        closest: null,
        questions: ['q1', 'q2', 'q3', 'q4', 'q5', 'q6'],
      }),
    );
    expect(text(root.querySelector('h3'))).toBe('1 question');
    expect(text(root.querySelector('.badge'))).toBe('New');
    expect(root.querySelector('.closest')).toBeNull();
    expect(root.querySelectorAll('.questions li').length).toBe(5);
    expect(Array.from(root.querySelectorAll('button')).map(text)).toEqual(['New category…']);
  });

  it('adds the questions to the closest category only after the user confirms', async () => {
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);
    await create();
    button('Add to payment_billing')!.click();
    await settle();
    expect(confirm).toHaveBeenCalledWith(
      'Add 3 questions as training examples of payment_billing?',
    );
    backend.expectNone(ASSIGN);
    expect(resolved).toEqual([]);

    confirm.mockReturnValue(true);
    button('Add to payment_billing')!.click();
    await settle();
    const post = backend.expectOne(ASSIGN);
    expect(post.request.method).toBe('POST');
    expect(post.request.body).toEqual({
      category: 'payment_billing',
      interaction_ids: [101, 102, 103],
    });
    expect(button('Add to payment_billing')!.disabled).toBe(true);
    await answer(post, { assigned: 2, skipped: 1 });
    expect(resolved).toEqual([
      '2 questions added to payment_billing (1 skipped: already reviewed or erased)',
    ]);
  });

  it("shows the server's refusal to add, and stays", async () => {
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    await create();
    button('Add to payment_billing')!.click();
    await settle();
    refuse(backend.expectOne(ASSIGN), 404, 'not_found', 'no category named payment_billing');
    await settle();
    expect(alert()).toBe('no category named payment_billing');
    expect(resolved).toEqual([]);
    expect(button('Add to payment_billing')!.disabled).toBe(false);
  });

  it('fills in the new category from the keywords', async () => {
    await create(topic({ keywords: ['Gift Wrapping', 'wrap', 'present'] }));
    await openForm();
    expect(
      Array.from(root.querySelectorAll('form label')).map((l) => l.getAttribute('for')),
    ).toEqual(['topic-3-name', 'topic-3-response', 'topic-3-description']);
    expect(field<HTMLInputElement>('name').value).toBe('gift_wrapping');
    expect(field<HTMLTextAreaElement>('response').value).toBe('');
    expect(field<HTMLInputElement>('description').value).toBe('Gift Wrapping, wrap, present');
    expect(button('New category…')).toBeNull();

    button('Cancel')!.click();
    await settle();
    expect(root.querySelector('form')).toBeNull();
  });

  it('asks for a good name and an answer before asking the server', async () => {
    await create();
    await openForm();
    await submit();
    expect(alert()).toBe('Write the answer customers get.');
    expect(field('response').getAttribute('aria-invalid')).toBe('true');

    await enter(field('response'), 'Check it at example.com/balance.');
    await enter(field('name'), 'Gift card');
    await submit();
    expect(alert()).toMatch(/only lower-case letters, digits and "_"/);
    expect(field('name').getAttribute('aria-invalid')).toBe('true');
    expect(field('response').getAttribute('aria-invalid')).toBeNull();

    await enter(field('name'), '  ');
    await submit();
    expect(alert()).toBe('Give the category a name.');
    backend.expectNone(() => true);
  });

  it('creates the category and adds the questions to it', async () => {
    await create(topic({ keywords: ['gift wrap', 'present'], closest: null, new: true }));
    await openForm();
    await enter(field('name'), 'gift_wrapping');
    await enter(field('response'), '  Yes: gift wrapping is £3 an item.  ');
    await submit();
    await answer(backend.expectOne(CATEGORIES), {
      items: [{ name: 'payment_billing' }, { name: 'gift' }],
    });
    const put = backend.expectOne(`${CATEGORIES}/gift_wrapping`);
    expect(put.request.method).toBe('PUT');
    expect(put.request.body).toEqual({
      description: 'gift wrap, present',
      response: 'Yes: gift wrapping is £3 an item.',
    });
    await answer(put, { name: 'gift_wrapping', description: '', response: '' });
    const post = backend.expectOne(ASSIGN);
    expect(post.request.body).toEqual({
      category: 'gift_wrapping',
      interaction_ids: [101, 102, 103],
    });
    await answer(post, { assigned: 3, skipped: 0 });
    expect(resolved).toEqual(['Category gift_wrapping created with 3 questions']);
    expect(root.querySelector('[role="alert"]')).toBeNull();
  });

  it('refuses a name an existing category has, and offers to add to it instead', async () => {
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    await create();
    await openForm();
    expect(field<HTMLInputElement>('name').value).toBe('gift_card');
    await enter(field('response'), 'See your balance online.');
    await submit();
    await answer(backend.expectOne(CATEGORIES), {
      items: [{ name: 'payment_billing' }, { name: 'gift_card' }],
    });
    backend.expectNone((r) => r.method === 'PUT');
    expect(alert()).toBe('A category named gift_card exists: use “Add to gift_card”.');
    expect(resolved).toEqual([]);

    button('Add to gift_card')!.click();
    await settle();
    expect(confirm).toHaveBeenCalledWith('Add 3 questions as training examples of gift_card?');
    const post = backend.expectOne(ASSIGN);
    expect(post.request.body.category).toBe('gift_card');
    await answer(post, { assigned: 3, skipped: 0 });
    expect(resolved).toEqual(['3 questions added to gift_card']);
  });

  it('does not offer "Add to" twice when the existing category is the closest one', async () => {
    await create();
    await openForm();
    await enter(field('name'), 'payment_billing');
    await enter(field('response'), 'r');
    await submit();
    await answer(backend.expectOne(CATEGORIES), { items: [{ name: 'payment_billing' }] });
    expect(alert()).toBe('A category named payment_billing exists: use “Add to payment_billing”.');
    expect(
      Array.from(root.querySelectorAll('button')).filter(
        (b) => text(b) === 'Add to payment_billing',
      ).length,
    ).toBe(1);
  });

  it('says when the category was created but the questions were not added, and only adds them on a retry', async () => {
    await create();
    await openForm();
    await enter(field('name'), 'gift_cards');
    await enter(field('response'), 'r');
    await submit();
    await answer(backend.expectOne(CATEGORIES), { items: [] });
    await answer(backend.expectOne(`${CATEGORIES}/gift_cards`), { name: 'gift_cards' });
    refuse(backend.expectOne(ASSIGN), 422, 'bad_value', 'interaction_ids: too many');
    await settle();
    expect(alert()).toBe(
      'Category gift_cards was created, but the questions were not added to it: interaction_ids: too many',
    );
    expect(resolved).toEqual([]);

    await submit();
    backend.expectNone(CATEGORIES);
    await answer(backend.expectOne(ASSIGN), { assigned: 3, skipped: 0 });
    expect(resolved).toEqual(['Category gift_cards created with 3 questions']);
  });

  it('shows a failure to save the category, and adds nothing', async () => {
    await create();
    await openForm();
    await enter(field('response'), 'r');
    await submit();
    await answer(backend.expectOne(CATEGORIES), { items: [] });
    backend
      .expectOne(`${CATEGORIES}/gift_card`)
      .flush(null, { status: 503, statusText: 'Unavailable' });
    await settle();
    backend.expectNone(ASSIGN);
    expect(alert()).toBe('The service is not ready yet. Please try again in a moment.');
    expect(resolved).toEqual([]);
  });
});
