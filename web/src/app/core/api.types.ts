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

export interface Answer {
  interaction_id: number;
  category: string;
  confidence: number;
  ranking?: { category: string; probability: number }[];
  response: string;
  recommendations?: Recommendation[];
  handoff: boolean;
  model_version: string;
  feedback_token: string;
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
  example_count?: number;
}

export type CategoryInput = Omit<Category, 'name' | 'example_count'>;

export interface Feedback {
  helpful: boolean;
  category?: string | null;
  comment?: string | null;
  created_at?: number;
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

export interface TrainInput {
  kind?: 'ngram';
  activate?: boolean;
  epochs?: number;
  seed?: number;
}
