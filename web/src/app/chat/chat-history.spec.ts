import { TestBed } from '@angular/core/testing';
import { Answer } from '../core/api.types';
import {
  CHAT_KEY,
  ChatHistory,
  INTERRUPTED,
  MAX_TURNS,
  Turn,
  newSessionId,
  parseChat,
} from './chat-history';

const answer: Answer = {
  interaction_id: 3,
  category: 'refunds',
  confidence: 0.8,
  response: 'Refunds take 5 days.',
  handoff: false,
  model_version: 'ngram-1',
  feedback_token: 'tok',
  recommendations: [{ kind: 'article', title: 'Refunds', body: 'How.', action: null }],
  clarify: null,
};

const stored = (turns: unknown[], over: object = {}) =>
  JSON.stringify({ v: 1, session: 's-1', turns, ...over });

describe('parseChat', () => {
  it('reads back what was saved', () => {
    const turns: Turn[] = [
      { id: 1, question: 'refund?', answer, feedbackSent: true },
      { id: 2, answer, reply: 'pick' },
    ];
    expect(parseChat(stored(turns))).toEqual({ sessionId: 's-1', turns });
  });

  it('settles what was under way: a question without an answer, a choice on its way', () => {
    const unsure = {
      ...answer,
      clarify: { question: 'Did you mean?', options: [{ category: 'refunds', title: 'Refunds' }] },
    };
    const chat = parseChat(
      stored([
        { id: 1, question: 'money', answer: unsure, clarify: { status: 'sending' } },
        { id: 2, question: 'lost in the reload' },
      ]),
    );
    expect(chat?.turns[0].clarify).toEqual({ status: 'open' });
    expect(chat?.turns[1].error).toBe(INTERRUPTED);
  });

  it('keeps the last turns only', () => {
    const turns = Array.from({ length: MAX_TURNS + 5 }, (_, i) => ({ id: i + 1, question: 'q' }));
    const chat = parseChat(stored(turns));
    expect(chat?.turns.length).toBe(MAX_TURNS);
    expect(chat?.turns[0].id).toBe(6);
  });

  it('refuses anything else', () => {
    for (const text of [
      null,
      '',
      '{oops',
      'null',
      '[]',
      stored([], { v: 2 }),
      stored([], { session: '' }),
      stored([{ id: 1 }]),
      stored([{ id: 'one', question: 'q' }]),
      stored([
        { id: 1, question: 'q' },
        { id: 1, question: 'r' },
      ]),
      stored([{ id: 1, question: 'q', answer: { ...answer, response: 5 } }]),
      stored([{ id: 1, question: 'q', answer: { ...answer, clarify: { question: 'x' } } }]),
      stored([{ id: 1, question: 'q', answer, clarify: { status: 'maybe' } }]),
      stored([{ id: 1, answer, reply: 'yes' }]),
    ]) {
      expect(parseChat(text), String(text)).toBeNull();
    }
  });
});

describe('ChatHistory', () => {
  afterEach(() => sessionStorage.clear());

  it('saves one versioned key in sessionStorage, nothing in localStorage, at most MAX_TURNS turns', () => {
    const history = TestBed.inject(ChatHistory);
    const turns = Array.from({ length: MAX_TURNS + 1 }, (_, i) => ({ id: i + 1, question: 'q' }));
    history.save({ sessionId: 's-1', turns });
    const saved = JSON.parse(sessionStorage.getItem(CHAT_KEY)!);
    expect(saved.v).toBe(1);
    expect(saved.session).toBe('s-1');
    expect(saved.turns.length).toBe(MAX_TURNS);
    expect(localStorage.length).toBe(0);
    expect(history.load()?.turns[0].id).toBe(2);
    history.clear();
    expect(sessionStorage.getItem(CHAT_KEY)).toBeNull();
  });

  it('drops stored content it cannot read', () => {
    sessionStorage.setItem(CHAT_KEY, '{"v":1,"session":');
    expect(TestBed.inject(ChatHistory).load()).toBeNull();
    expect(sessionStorage.getItem(CHAT_KEY)).toBeNull();
  });

  it('goes on without storage when it refuses to save', () => {
    const history = TestBed.inject(ChatHistory);
    const setItem = vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    expect(() => history.save({ sessionId: 's', turns: [] })).not.toThrow();
    setItem.mockRestore();
  });
});

describe('newSessionId', () => {
  it('is new each time', () => {
    const a = newSessionId();
    expect(a.length).toBeGreaterThanOrEqual(32);
    expect(newSessionId()).not.toBe(a);
  });
});
