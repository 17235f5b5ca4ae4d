// Shapes of the shopdesk HTTP API (see src/http/openapi.json in the repository root).

export interface ApiErrorBody {
  error: { code: string; message: string };
}

export interface Action {
  label: string;
  url: string;
}

export interface Recommendation {
  kind?: 'article' | 'related';
  category?: string;
  title: string;
  body: string;
  action?: Action | null;
}

/** One category offered when the model is unsure: `title` is its description, or its name when it has none. */
export interface ClarifyOption {
  category: string;
  title: string;
}

/** "Did you mean one of these?": asked instead of a hand-off when the top categories together are likely. */
export interface Clarify {
  question: string;
  /** two or three */
  options: ClarifyOption[];
}

/** The kinds of entity the server extracts; a store may configure others, shown by their name. */
export type EntityKind = 'order_number' | 'email' | 'money' | 'date' | 'size';

/** Something the customer wrote that an answer can use: an order number, an email address, an amount … */
export interface Entity {
  kind: EntityKind | string;
  /** as the customer wrote it ("£75", "yesterday") */
  text: string;
  /** normalized ("75.00 GBP", "2026-12-05") */
  value: string;
}

export interface Answer {
  interaction_id: number;
  category: string;
  confidence: number;
  ranking?: { category: string; probability: number }[];
  response: string;
  recommendations?: Recommendation[];
  handoff: boolean;
  /** A reply to a greeting, thanks or the like: nothing to rate, so no feedback form. */
  small_talk?: boolean;
  model_version: string;
  feedback_token: string;
  /**
   * Set when the customer is asked to pick a category (`response` then holds the question as plain text); the pick
   * goes to ApiService.clarify with `feedback_token`. Null (or absent, from older servers) otherwise.
   */
  clarify?: Clarify | null;
  /** what the question names (the response already uses them); absent from older servers: none */
  entities?: Entity[];
}

export interface FeedbackInput {
  token: string;
  helpful: boolean;
  category?: string;
  comment?: string;
}

export interface Category {
  name: string;
  description: string;
  response: string;
  recommendations: Recommendation[];
  small_talk?: boolean;
  example_count?: number;
}

export type CategoryInput = Omit<Category, 'name' | 'example_count'>;

export interface Feedback {
  helpful: boolean;
  category?: string | null;
  comment?: string | null;
  created_at?: number;
}

/** What a customer was asked to choose between, and what they chose. */
export interface Clarification {
  /** category names */
  options: string[];
  /** null with `chosen_at` set: "Something else" */
  choice: string | null;
  /** null: asked, not answered */
  chosen_at: number | null;
}

export type ReviewState = 'resolved' | 'relabeled' | 'ignored' | string;

export interface Interaction {
  id: number;
  query: string;
  category: string;
  confidence: number;
  response: string;
  handoff: boolean;
  model_version: string;
  session_id: string | null;
  created_at: number;
  feedback: Feedback | null;
  review: ReviewState | null;
  reviewed_category: string | null;
  /** null (or absent, from older servers) unless the customer was asked "Did you mean …?" */
  clarification?: Clarification | null;
  /** what the question names: order numbers, email addresses …; absent on older data: none */
  entities?: Entity[];
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export type FeedbackFilter = '' | 'helpful' | 'unhelpful' | 'corrected' | 'any' | 'none';

export interface InteractionFilters {
  category?: string;
  handoff?: '' | 'true' | 'false';
  feedback?: FeedbackFilter;
  /** yyyy-mm-dd, local time, inclusive */
  from?: string;
  /** yyyy-mm-dd, local time, inclusive */
  to?: string;
  limit?: number;
  offset?: number;
}

export type ReviewAction = 'resolve' | 'relabel' | 'ignore';

export interface Example {
  id: number;
  text: string;
  label: string;
  source: string;
}

export interface ImportSummary {
  received: number;
  inserted: number;
  duplicates: number;
  created_categories: string[];
}

export interface Stats {
  volume: { day: number; category: string; count: number }[];
  interactions: number;
  handoff_rate: number | null;
  feedback_count: number;
  helpful_rate: number | null;
  reviewed: number;
  reviewed_accuracy: number | null;
  days: number;
}

export interface CategoryReport {
  name: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
  most_confused_with?: string | null;
  confused_count?: number;
}

export interface ModelReport {
  accuracy?: number;
  macro_f1?: number;
  validation_macro_f1?: number;
  labels?: string[];
  categories?: CategoryReport[];
  confusion_matrix?: number[][];
  confidence_histogram?: { bins: number; right: number[]; wrong: number[] };
  examples?: number;
  best_epoch?: number;
  training_seconds?: number;
  expected_calibration_error?: number;
  /** the hand-off policy scored on the held-out test split (versions trained before policies were reported lack it) */
  policy?: PolicyReport;
  /** the same policy scored on the validation split it was tuned on */
  validation_policy?: PolicyReport;
  /** each kind compared on validation, by kind; one entry when a kind was asked for */
  candidates?: Record<string, CandidateScore>;
  /** the kind training was asked for ("auto" compares several) */
  requested_kind?: string;
  /** texts stored under more than one label, left out of training */
  conflicting_texts?: { count: number; examples?: { text: string; labels: string[] }[] };
  out_of_scope_class?: boolean;
}

/** When the model answers and when it hands a question off to a person. */
export interface AnswerPolicy {
  threshold: number;
  ambiguity: number;
  out_of_scope_label?: number;
  /** highest out-of-scope probability that still gets an answer (1 or absent: no limit) */
  out_of_scope_ceiling?: number;
  /**
   * least probability the categories offered must hold together for "Did you mean …?" to be asked instead of a
   * hand-off (above 1: never asks; absent on versions trained before clarifying questions)
   */
  clarify_mass?: number;
}

/**
 * What asking "Did you mean …?" does to the questions a policy hands off, scored with a customer who picks their
 * category when it is offered and "something else" otherwise (absent on versions trained before clarifying
 * questions).
 */
export interface ClarifyReport {
  /** the policy's clarify_mass (above 1: never asks) */
  mass: number;
  /** in-scope questions the policy hands off */
  handed_off: number;
  /** of them, those asked instead */
  asked: number;
  /** of those, offered their category: hand-offs turned into right answers */
  recovered: number;
  out_of_scope_handed_off: number;
  /** of them, those asked instead */
  out_of_scope_asked: number;
  /** share of the questions asked (in and out of scope) that offered the asker's category */
  usefulness: number;
}

export interface PolicyReport {
  policy?: AnswerPolicy;
  goals?: { answer_precision?: number; out_of_scope_handoff?: number; clarify_usefulness?: number };
  in_scope?: number;
  out_of_scope?: number;
  /** share of in-scope questions answered and right (hand-offs count as misses) */
  in_scope_accuracy?: number;
  /** right answers among the in-scope questions answered */
  answer_precision?: number;
  /** share of in-scope questions handed off */
  handoff_rate?: number;
  /** share of out-of-scope questions handed off */
  out_of_scope_recall?: number;
  precision_met?: boolean;
  out_of_scope_met?: boolean;
  /** what asking "Did you mean …?" adds (absent on versions trained before clarifying questions) */
  clarification?: ClarifyReport;
}

export interface CandidateScore {
  accuracy?: number;
  macro_f1?: number;
  answered_right?: number;
  goals_met?: boolean;
}

export interface ModelVersion {
  version: string;
  kind: string;
  active: boolean;
  served: boolean;
  created_at: number;
  data_fingerprint: string;
  accuracy: number;
  macro_f1: number;
  report?: ModelReport;
}

/** A stored question that the active version and a candidate answer differently. */
export interface ChangedAnswer {
  interaction_id: number;
  query: string;
  /** the right category, as an agent or the customer said */
  truth: string;
  /** the active version's category */
  active: string;
  /** the candidate's category */
  candidate: string;
}

/** What activating a version would change on the store's own questions, against the active version. */
export interface ModelComparison {
  active: string;
  candidate: string;
  /** questions whose right category is known (reviewed, corrected or rated helpful) */
  labelled: number;
  /** on the labelled questions (0 when there are none) */
  active_accuracy: number;
  candidate_accuracy: number;
  /** the newest questions replayed through both versions */
  traffic: number;
  /** of those, answered with another category by the candidate */
  changed: number;
  active_handoff_rate: number;
  candidate_handoff_rate: number;
  /** labelled questions only the candidate gets right (20 at most) */
  newly_right: ChangedAnswer[];
  /** labelled questions only the active version gets right (20 at most) */
  newly_wrong: ChangedAnswer[];
}

export interface TrainingProgress {
  epoch?: number;
  epochs?: number;
  loss?: number;
  validation_macro_f1?: number;
  percent?: number;
  seconds?: number;
}

export type JobStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface TrainingJob {
  id: number;
  kind: string;
  status: JobStatus;
  progress: TrainingProgress;
  error: string | null;
  model_version: string | null;
  created_at: number;
  finished_at: number | null;
}

/** "auto" trains linear, ngram and their ensemble and keeps the best on validation. */
export type TrainKind = 'auto' | 'linear' | 'ngram' | 'ensemble' | 'transformer';

export interface TrainInput {
  /** the server trains "auto" when left out */
  kind?: TrainKind;
  activate?: boolean;
  /** epochs of the n-gram model */
  epochs?: number;
  seed?: number;
  /** goal for the share of right answers among those the model gives (0–1) */
  answer_precision?: number;
}

/** Who the token a request carries belongs to: a named token's name, or "admin" for the built-in one. */
export interface Me {
  name: string;
}

/** A named admin token (the server keeps only its hash). The built-in "admin" token is not listed. */
export interface NamedToken {
  name: string;
  created_at: number;
  /** the name of the token that created it */
  created_by: string;
  /** null while the token is active */
  revoked_at: number | null;
}

/** A token just created: `token` is its secret, which the server returns this once and never again. */
export interface CreatedToken {
  name: string;
  /** 64 hex digits */
  token: string;
  created_at: number;
  created_by: string;
}

/** The admin actions the audit log records. */
export const AUDIT_ACTIONS = [
  'review.resolve',
  'review.relabel',
  'review.ignore',
  'category.save',
  'category.delete',
  'example.add',
  'example.delete',
  'examples.import',
  'model.train',
  'model.activate',
  'model.delete',
  'training_job.cancel',
  'customer_data.erase',
  'token.create',
  'token.revoke',
  'store.import',
  'topic.assign',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One admin action: when, by whom (a token's name, or "cli" on the server's machine), on what, and what changed. */
export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  action: AuditAction | string;
  /** what the action was on (a category, a version, a token …); may be "" */
  target: string;
  /** what changed; always an object, possibly empty */
  detail: Record<string, unknown>;
}

export interface AuditFilters {
  /** a token name, or "cli" */
  actor?: string;
  action?: AuditAction | '';
  limit?: number;
  offset?: number;
}

/** The category whose training examples a topic is most like, and how alike (cosine, 0–1). */
export interface TopicClosest {
  category: string;
  similarity: number;
}

/** Unanswered questions that ask the same thing, grouped by the server. */
export interface Topic {
  /** its place in this report only (not stable between reports) */
  id: number;
  /** how many questions it holds */
  size: number;
  /** words and word pairs that set it apart, the strongest first */
  keywords: string[];
  /** 3 to 5 questions that stand for it, the most typical first */
  questions: string[];
  /** every question in it */
  interaction_ids: number[];
  /** null when no category has training examples */
  closest: TopicClosest | null;
  /** far from every category: a candidate for a new one */
  new: boolean;
}

/**
 * What customers asked in [from, to) that found no answer: hand-offs, unsure answers and answers rated not helpful
 * that no agent has reviewed yet, grouped into topics.
 */
export interface TopicReport {
  from: number;
  to: number;
  /** questions grouped, also those in no topic */
  questions: number;
  /** how long the grouping took */
  seconds: number;
  /** largest first */
  topics: Topic[];
}

/** A topic's questions filed under a category as training examples. */
export interface TopicAssignment {
  assigned: number;
  /** reviewed already, or erased */
  skipped: number;
}

/**
 * What an analysis job is doing: reading the store, grouping questions (topics) or replaying them through two
 * versions (comparison); "done" once it has ended.
 */
export type AnalysisStage = 'reading' | 'grouping' | 'replaying' | 'done';

/**
 * A topic report or a model comparison the server is working on (the 202 answer of those routes, then
 * GET /analysis-jobs/{id}). `result` is the body a 200 would have carried, once the job has succeeded.
 */
export interface AnalysisJob<T = unknown> {
  id: number;
  kind: 'topics' | 'comparison';
  status: 'running' | 'succeeded' | 'failed';
  /** what the job was asked for (the route's parameters) */
  params: Record<string, unknown>;
  progress: { percent: number; stage: AnalysisStage };
  created_at: number;
  /** once it has ended */
  finished_at?: number;
  /** why it failed, as a sentence; only when it failed */
  error?: string;
  /** only when it succeeded */
  result?: T;
}

/** A long analysis as it goes: the job while the server works on it, then the result (at once when it was quick). */
export type Analysis<T> = { done: false; job: AnalysisJob<T> } | { done: true; result: T };
