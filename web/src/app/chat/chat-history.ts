import { Injectable } from '@angular/core';
import { Answer } from '../core/api.types';

/**
 * Where a "Did you mean …?" question stands: open to a choice, the choice on its way, chosen, or closed by an
 * error that another try would not fix (the choice was already made, the token is wrong).
 */
export type ClarifyStatus = 'open' | 'sending' | 'chosen' | 'closed';

export interface ClarifyState {
  status: ClarifyStatus;
  /** once chosen: the category, or null for "Something else" */
  choice?: string | null;
  /** why the last try failed */
  error?: string;
}

/** One exchange of the chat: a question and its answer, or the answer to a "Did you mean …?" choice alone. */
export interface Turn {
  id: number;
  /** the customer's words; absent on the answer to a choice */
  question?: string;
  answer?: Answer;
  error?: string;
  /** on an answer that asks "Did you mean …?" */
  clarify?: ClarifyState;
  /** on the answer to a choice: a category was picked, or "Something else" */
  reply?: 'pick' | 'other';
  /** the customer's feedback on this answer was taken */
  feedbackSent?: boolean;
}

export interface SavedChat {
  sessionId: string;
  turns: Turn[];
}

export const CHAT_KEY = 'shopdesk.chat';
const VERSION = 1;
/** The most turns kept: older ones drop off the top of the conversation. */
export const MAX_TURNS = 50;
export const INTERRUPTED = 'No answer arrived before the page was reloaded. Please ask again.';

const STATUSES: readonly string[] = ['open', 'sending', 'chosen', 'closed'];

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const optional = (v: unknown, type: string) => v === undefined || typeof v === type;

function validClarify(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  return (
    isObject(v) &&
    typeof v['question'] === 'string' &&
    Array.isArray(v['options']) &&
    v['options'].every(
      (o) => isObject(o) && typeof o['category'] === 'string' && typeof o['title'] === 'string',
    )
  );
}

function validAnswer(v: unknown): boolean {
  if (v === undefined) return true;
  if (!isObject(v)) return false;
  const recs = v['recommendations'];
  return (
    typeof v['interaction_id'] === 'number' &&
    typeof v['category'] === 'string' &&
    typeof v['response'] === 'string' &&
    typeof v['handoff'] === 'boolean' &&
    typeof v['model_version'] === 'string' &&
    typeof v['feedback_token'] === 'string' &&
    optional(v['small_talk'], 'boolean') &&
    (recs === undefined ||
      (Array.isArray(recs) &&
        recs.every(
          (r) => isObject(r) && typeof r['title'] === 'string' && typeof r['body'] === 'string',
        ))) &&
    validClarify(v['clarify'])
  );
}

function validState(v: unknown): boolean {
  if (v === undefined) return true;
  if (!isObject(v) || !STATUSES.includes(v['status'] as string)) return false;
  const choice = v['choice'];
  return (
    (choice === undefined || choice === null || typeof choice === 'string') &&
    optional(v['error'], 'string')
  );
}

function validTurn(v: unknown): v is Turn {
  return (
    isObject(v) &&
    Number.isSafeInteger(v['id']) &&
    optional(v['question'], 'string') &&
    optional(v['error'], 'string') &&
    optional(v['feedbackSent'], 'boolean') &&
    (v['reply'] === undefined || v['reply'] === 'pick' || v['reply'] === 'other') &&
    (v['question'] !== undefined || v['answer'] !== undefined) &&
    validAnswer(v['answer']) &&
    validState(v['clarify'])
  );
}

/**
 * The chat stored as `text`, or null when it is not a chat of this version. What was under way when the page went
 * away comes back settled: a question without an answer says so, a choice on its way can be made again.
 */
export function parseChat(text: string | null): SavedChat | null {
  if (!text) return null;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(data) || data['v'] !== VERSION) return null;
  const { session, turns } = data;
  if (typeof session !== 'string' || !session || !Array.isArray(turns)) return null;
  if (!turns.every(validTurn)) return null;
  if (new Set(turns.map((t) => t.id)).size !== turns.length) return null;
  return {
    sessionId: session,
    turns: turns.slice(-MAX_TURNS).map((turn) => {
      if (!turn.answer && !turn.error) return { ...turn, error: INTERRUPTED };
      if (turn.clarify?.status === 'sending') return { ...turn, clarify: { status: 'open' } };
      return turn;
    }),
  };
}

/** A random id for the chat's session (sent with each question, so that agents see one conversation together). */
export function newSessionId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID needs a secure context (HTTPS or localhost); getRandomValues does not.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
}

/**
 * The customer's conversation, kept in sessionStorage (one versioned JSON key) so that it survives a reload in the
 * same tab and is gone when the browser session ends. Storage that is unavailable or full is done without.
 */
@Injectable({ providedIn: 'root' })
export class ChatHistory {
  private readonly storage = sessionStorageOrNull();

  /** The stored chat; stored content that cannot be read is dropped. */
  load(): SavedChat | null {
    const text = this.attempt(() => this.storage?.getItem(CHAT_KEY) ?? null) ?? null;
    const chat = parseChat(text);
    if (text && !chat) this.clear();
    return chat;
  }

  /** Keeps the last MAX_TURNS turns. */
  save(chat: SavedChat): void {
    const data = { v: VERSION, session: chat.sessionId, turns: chat.turns.slice(-MAX_TURNS) };
    this.attempt(() => this.storage?.setItem(CHAT_KEY, JSON.stringify(data)));
  }

  clear(): void {
    this.attempt(() => this.storage?.removeItem(CHAT_KEY));
  }

  private attempt<T>(action: () => T): T | undefined {
    try {
      return action();
    } catch {
      return undefined; // storage refused (private mode, quota, blocked): the chat goes on unsaved
    }
  }
}

function sessionStorageOrNull(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null; // reading the property itself throws where storage is blocked
  }
}
