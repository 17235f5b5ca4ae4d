import { HttpErrorResponse } from '@angular/common/http';
import { HttpTestingController, TestRequest } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Observable, Subject, of, throwError } from 'rxjs';
import { Answer } from '../core/api.types';
import {
  createWithApi,
  createWithBackend,
  enter,
  refuse,
  settle,
  text,
} from '../testing/page-testing';
import { CHAT_KEY, MAX_TURNS } from './chat-history';
import { ChatPage } from './chat-page';

const answer = (over: Partial<Answer> = {}): Answer => ({
  interaction_id: 1,
  category: 'payment_billing',
  confidence: 0.9,
  response: 'We accept cards.',
  handoff: false,
  model_version: 'ngram-1',
  feedback_token: 't',
  recommendations: [
    {
      kind: 'article',
      title: 'Ways to pay',
      body: 'Cards and more.',
      action: { label: 'Payment methods', url: '/help/payment' },
    },
    { kind: 'article', title: 'Card declined?', body: 'Check the address.', action: null },
    { kind: 'related', category: 'order_status', title: 'Orders', body: 'Track it.', action: null },
  ],
  ...over,
});

describe('ChatPage', () => {
  let reply: () => Observable<Answer>;
  let asked: string[];

  afterEach(() => sessionStorage.clear());

  function create() {
    asked = [];
    const api = {
      categories: () => of([{ name: 'order_status' }, { name: 'payment_billing' }]),
      ask: (q: string) => {
        asked.push(q);
        return reply();
      },
    };
    return createWithApi(ChatPage, api);
  }

  async function ask(fixture: ReturnType<typeof create>, question: string) {
    fixture.componentInstance.draft.set(question);
    fixture.componentInstance.ask();
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  it('shows the answer, its article cards with their actions, and related topics', async () => {
    reply = () => of(answer());
    const el = await ask(create(), '  charged twice  ');
    expect(asked).toEqual(['charged twice']);
    expect(el.querySelector('.response')?.textContent).toContain('We accept cards.');
    expect(el.querySelectorAll('.rec').length).toBe(3);
    const action = el.querySelector<HTMLAnchorElement>('.rec a.button');
    expect(action?.textContent?.trim()).toBe('Payment methods');
    expect(action?.getAttribute('href')).toBe('/help/payment');
    expect(el.querySelector('.related h3')?.textContent).toBe('Order status');
    expect(el.querySelector('.handoff')).toBeNull();
    expect(el.querySelector('app-feedback-form')).not.toBeNull();
  });

  it('says a person will follow up on a hand-off', async () => {
    reply = () => of(answer({ handoff: true, recommendations: [] }));
    const el = await ask(create(), 'qwxz');
    expect(el.querySelector('.handoff')?.textContent).toContain('A person will follow up');
  });

  it('answers small talk with its reply alone: no category badge, no cards, no feedback form', async () => {
    reply = () =>
      of(
        answer({
          category: 'greeting',
          response: 'Hi there!',
          small_talk: true,
          recommendations: [],
        }),
      );
    const el = await ask(create(), 'hello');
    expect(el.querySelector('.response')?.textContent).toContain('Hi there!');
    expect(el.querySelector('.badge')).toBeNull();
    expect(el.querySelector('.rec')).toBeNull();
    expect(el.querySelector('app-feedback-form')).toBeNull();
  });

  it('shows an API error as a readable message and keeps earlier answers', async () => {
    const fixture = create();
    reply = () => of(answer());
    await ask(fixture, 'first');
    reply = () =>
      throwError(
        () =>
          new HttpErrorResponse({
            status: 503,
            error: { error: { code: 'unavailable', message: 'no model is loaded yet' } },
          }),
      );
    const el = await ask(fixture, 'second');
    expect(el.querySelector('[role="alert"]')?.textContent).toContain('no model is loaded yet');
    expect(el.querySelectorAll('article.answer').length).toBe(1);
  });

  it('ignores empty questions and does not send while waiting', async () => {
    const fixture = create();
    const pending = new Subject<Answer>();
    reply = () => pending;
    await ask(fixture, '   ');
    expect(asked).toEqual([]);
    await ask(fixture, 'one');
    await ask(fixture, 'two');
    expect(asked).toEqual(['one']);
  });
});

// An answer that asks "Did you mean …?" instead of handing off.
const unsure = answer({
  interaction_id: 7,
  category: 'order_status',
  confidence: 0.4,
  response: "I'm not sure I understood. Did you mean: Order status, Refunds, or something else?",
  feedback_token: 'tok-7',
  recommendations: [],
  clarify: {
    question: 'Did you mean one of these?',
    options: [
      { category: 'order_status', title: 'Order status' },
      { category: 'refunds', title: 'Money back for a return' },
    ],
  },
});

const refunds = answer({
  interaction_id: 7,
  category: 'refunds',
  response: 'Refunds reach your card within 5 days.',
  feedback_token: 'tok-7',
  recommendations: [
    { kind: 'article', title: 'Refund times', body: 'Usually 5 days.', action: null },
  ],
  clarify: null,
});

describe('ChatPage: "Did you mean …?" and the stored conversation', () => {
  let backend: HttpTestingController;
  let fixture: ComponentFixture<ChatPage>;
  let root: HTMLElement;

  async function open() {
    const page = await createWithBackend(ChatPage);
    backend = page.backend;
    fixture = page.fixture;
    root = fixture.nativeElement;
    backend
      .expectOne('/api/v1/categories')
      .flush({ items: [{ name: 'order_status' }, { name: 'refunds' }] });
    await settle();
  }

  /** Closes the page and opens it again, as a reload in the same tab does (sessionStorage stays). */
  async function reload() {
    backend.verify();
    fixture.destroy();
    TestBed.resetTestingModule();
    await open();
  }

  async function ask(question: string, reply: Answer): Promise<TestRequest> {
    await enter(root.querySelector('#question'), question);
    root.querySelector<HTMLButtonElement>('form.ask button[type="submit"]')!.click();
    await settle();
    const req = backend.expectOne('/api/v1/answers');
    req.flush(reply);
    await settle();
    return req;
  }

  const buttons = () =>
    Array.from(root.querySelectorAll<HTMLButtonElement>('[role="group"] button'));
  const button = (name: string) => buttons().find((b) => text(b) === name)!;
  const answers = () => Array.from(root.querySelectorAll('article.answer'));
  const clarification = () => backend.expectOne('/api/v1/interactions/7/clarification');

  beforeEach(open);
  afterEach(() => {
    backend.verify();
    sessionStorage.clear();
  });

  it('shows the question and a button per option and "Something else", in a labelled group', async () => {
    await ask('my money', unsure);
    const group = root.querySelector('[role="group"]')!;
    const label = root.querySelector(`#${group.getAttribute('aria-labelledby')}`);
    expect(text(label)).toBe('Did you mean one of these?');
    expect(buttons().map(text)).toEqual([
      'Order status',
      'Money back for a return',
      'Something else',
    ]);
    expect(buttons().every((b) => b.type === 'button' && !b.disabled)).toBe(true);
    expect(root.querySelector('.badge')).toBeNull();
    expect(root.querySelector('app-feedback-form')).toBeNull();
  });

  it('posts the pick once, disables the buttons and shows the answer as the next message', async () => {
    await ask('my money', unsure);
    button('Money back for a return').click();
    button('Order status').click(); // a second click while the first is on its way
    await settle();
    const req = clarification();
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ token: 'tok-7', category: 'refunds' });
    expect(buttons().every((b) => b.disabled)).toBe(true);
    req.flush(refunds);
    await settle();

    expect(buttons().every((b) => b.disabled)).toBe(true);
    expect(text(root.querySelector('.chosen-note'))).toBe('You chose: Money back for a return');
    expect(answers().length).toBe(2);
    const next = answers()[1];
    expect(text(next.querySelector('.response'))).toBe('Refunds reach your card within 5 days.');
    expect(text(next.querySelector('.badge'))).toBe('Refunds');
    expect(text(next.querySelector('.rec h3'))).toBe('Refund times');
    expect(next.querySelector('app-feedback-form')).not.toBeNull();
    expect(root.querySelectorAll('.question').length).toBe(1);
    button('Order status').click();
    await settle(); // no second request: afterEach verifies
  });

  it('posts null for "Something else" and shows the hand-off without a feedback form', async () => {
    await ask('my money', unsure);
    button('Something else').click();
    await settle();
    const req = clarification();
    expect(req.request.body).toEqual({ token: 'tok-7', category: null });
    req.flush({
      ...refunds,
      category: 'order_status',
      handoff: true,
      recommendations: [],
      response: 'A person will reply.',
    });
    await settle();
    const next = answers()[1];
    expect(text(next.querySelector('.handoff'))).toContain('A person will follow up');
    expect(text(next.querySelector('.response'))).toBe('A person will reply.');
    expect(next.querySelector('app-feedback-form')).toBeNull();
    expect(text(root.querySelector('.chosen-note'))).toBe('You chose: Something else');
  });

  it("shows the API's refusal and keeps the buttons disabled", async () => {
    await ask('my money', unsure);
    button('Order status').click();
    await settle();
    refuse(clarification(), 409, 'conflict', 'the choice was already made');
    await settle();
    expect(text(root.querySelector('[role="alert"]'))).toBe('the choice was already made');
    expect(buttons().every((b) => b.disabled)).toBe(true);
    expect(answers().length).toBe(1);
  });

  it('reopens the choice after a failure worth another try', async () => {
    await ask('my money', unsure);
    button('Order status').click();
    await settle();
    clarification().error(new ProgressEvent('error'), { status: 0 });
    await settle();
    expect(text(root.querySelector('[role="alert"]'))).toMatch(/could not be reached/);
    expect(buttons().every((b) => !b.disabled)).toBe(true);
    button('Order status').click();
    await settle();
    clarification().flush({ ...refunds, category: 'order_status' });
    await settle();
    expect(root.querySelector('[role="alert"]')).toBeNull();
    expect(answers().length).toBe(2);
  });

  it('comes back after a reload: questions, answers, the choice made, feedback given, the session', async () => {
    const first = await ask('my money', unsure);
    const session = first.request.body.session_id;
    expect(session).toEqual(expect.any(String));
    button('Money back for a return').click();
    await settle();
    clarification().flush(refunds);
    await settle();
    const form = answers()[1].querySelector('app-feedback-form')!;
    form.querySelector<HTMLInputElement>('input[value="yes"]')!.click();
    await settle();
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await settle();
    backend.expectOne('/api/v1/interactions/7/feedback').flush({ status: 'stored' });
    await settle();

    await reload();
    expect(Array.from(root.querySelectorAll('.question')).map(text)).toEqual([
      'You asked: my money',
    ]);
    expect(answers().length).toBe(2);
    expect(buttons().every((b) => b.disabled)).toBe(true);
    expect(text(root.querySelector('.chosen-note'))).toBe('You chose: Money back for a return');
    expect(text(answers()[1].querySelector('.response'))).toBe(
      'Refunds reach your card within 5 days.',
    );
    expect(text(answers()[1])).toContain('Thank you for your feedback');
    expect(answers()[1].querySelector('form')).toBeNull();
    expect(localStorage.length).toBe(0);

    const next = await ask('and delivery?', answer({ interaction_id: 8 }));
    expect(next.request.body).toEqual({ query: 'and delivery?', session_id: session });
    expect(answers().length).toBe(3);
  });

  it('lets an open choice be made after a reload', async () => {
    await ask('my money', unsure);
    await reload();
    expect(buttons().every((b) => !b.disabled)).toBe(true);
    button('Order status').click();
    await settle();
    expect(clarification().request.body).toEqual({ token: 'tok-7', category: 'order_status' });
  });

  it('starts empty, and drops the stored chat, when what is stored cannot be read', async () => {
    for (const corrupt of [
      '{"v":1,"turns":[',
      JSON.stringify({ v: 99, session: 's', turns: [] }),
    ]) {
      sessionStorage.setItem(CHAT_KEY, corrupt);
      await reload();
      expect(root.querySelectorAll('.turn').length).toBe(0);
      expect(sessionStorage.getItem(CHAT_KEY)).toBeNull();
    }
  });

  it('stores the last turns only', async () => {
    const turns = Array.from({ length: MAX_TURNS }, (_, i) => ({
      id: i + 1,
      question: `q${i + 1}`,
      error: 'x',
    }));
    sessionStorage.setItem(CHAT_KEY, JSON.stringify({ v: 1, session: 's', turns }));
    await reload();
    await ask('one more', answer({ interaction_id: 99 }));
    const saved = JSON.parse(sessionStorage.getItem(CHAT_KEY)!);
    expect(saved.turns.length).toBe(MAX_TURNS);
    expect(saved.turns[0].question).toBe('q2');
    expect(saved.turns.at(-1).question).toBe('one more');
  });

  it('starts over: an empty conversation, nothing stored, a new session', async () => {
    const first = await ask('my money', unsure);
    Array.from(root.querySelectorAll('button'))
      .find((b) => text(b) === 'Start over')!
      .click();
    await settle();
    expect(root.querySelectorAll('.turn').length).toBe(0);
    expect(sessionStorage.getItem(CHAT_KEY)).toBeNull();
    const next = await ask('hello', answer({ interaction_id: 9 }));
    expect(next.request.body.session_id).not.toBe(first.request.body.session_id);
  });
});
