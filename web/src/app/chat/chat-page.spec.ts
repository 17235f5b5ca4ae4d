import { HttpErrorResponse } from '@angular/common/http';
import { Observable, Subject, of, throwError } from 'rxjs';
import { Answer } from '../core/api.types';
import { createWithApi } from '../testing/page-testing';
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
    { kind: 'article', title: 'Ways to pay', body: 'Cards and more.', action: { label: 'Payment methods', url: '/help/payment' } },
    { kind: 'article', title: 'Card declined?', body: 'Check the address.', action: null },
    { kind: 'related', category: 'order_status', title: 'Orders', body: 'Track it.', action: null },
  ],
  ...over,
});

describe('ChatPage', () => {
  let reply: () => Observable<Answer>;
  let asked: string[];

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
    reply = () => of(answer({ category: 'greeting', response: 'Hi there!', small_talk: true, recommendations: [] }));
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
      throwError(() => new HttpErrorResponse({ status: 503, error: { error: { code: 'unavailable', message: 'no model is loaded yet' } } }));
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
