import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map, switchMap } from 'rxjs';
import { ANALYSIS_POLL_MS, analysisFrom } from './analysis';
import {
  Analysis,
  AnalysisJob,
  Answer,
  AuditEntry,
  AuditFilters,
  Category,
  CategoryInput,
  CreatedToken,
  Example,
  FeedbackInput,
  ImportSummary,
  Interaction,
  InteractionFilters,
  Me,
  ModelComparison,
  ModelVersion,
  NamedToken,
  Page,
  ReviewAction,
  Stats,
  TopicAssignment,
  TopicReport,
  TrainInput,
  TrainingJob,
} from './api.types';

const API = '/api/v1';

/** Midnight (local time) of a yyyy-mm-dd date in epoch milliseconds, or null when the text is not a date. */
export function localDayStart(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime();
}

/** Query parameters for the interaction list and the review queue; empty filters are left out, `to` is inclusive. */
export function interactionParams(filters: InteractionFilters): HttpParams {
  let params = new HttpParams();
  if (filters.category) params = params.set('category', filters.category);
  if (filters.handoff) params = params.set('handoff', filters.handoff);
  if (filters.feedback) params = params.set('feedback', filters.feedback);
  const from = filters.from ? localDayStart(filters.from) : null;
  if (from !== null) params = params.set('from', from);
  const toDay = filters.to ? localDayStart(filters.to) : null;
  if (toDay !== null) {
    const [y, mo, d] = filters.to!.split('-').map(Number);
    params = params.set('to', new Date(y, mo - 1, d + 1).getTime() - 1);
  }
  if (filters.limit !== undefined) params = params.set('limit', filters.limit);
  if (filters.offset !== undefined) params = params.set('offset', filters.offset);
  return params;
}

/** Query parameters for the audit log; an empty actor or action is left out. */
export function auditParams(filters: AuditFilters): HttpParams {
  let params = new HttpParams();
  const actor = filters.actor?.trim();
  if (actor) params = params.set('actor', actor);
  if (filters.action) params = params.set('action', filters.action);
  if (filters.limit !== undefined) params = params.set('limit', filters.limit);
  if (filters.offset !== undefined) params = params.set('offset', filters.offset);
  return params;
}

/** One method per route of the shopdesk API; errors stay HttpErrorResponse (see describeError). */
@Injectable({ providedIn: 'root' })
export class ApiService {
  private readonly http = inject(HttpClient);
  private readonly pollMs = inject(ANALYSIS_POLL_MS);

  // Customers
  ask(query: string, sessionId?: string): Observable<Answer> {
    return this.http.post<Answer>(
      `${API}/answers`,
      sessionId ? { query, session_id: sessionId } : { query },
    );
  }

  sendFeedback(interactionId: number, feedback: FeedbackInput): Observable<void> {
    return this.http
      .post<unknown>(`${API}/interactions/${interactionId}/feedback`, feedback)
      .pipe(map(() => undefined));
  }

  /**
   * Answers a "Did you mean …?" question: a category that was offered, or null for "Something else" (a hand-off).
   * The reply is the interaction's answer; `token` is the answer's feedback token and stays valid for feedback.
   */
  clarify(interactionId: number, token: string, category: string | null): Observable<Answer> {
    return this.http.post<Answer>(`${API}/interactions/${interactionId}/clarification`, {
      token,
      category,
    });
  }

  categories(): Observable<Category[]> {
    return this.http.get<{ items: Category[] }>(`${API}/categories`).pipe(map((r) => r.items));
  }

  // Agents
  /** Creates or replaces (PUT) the category; left-out fields are empty (no recommendations, not small talk). */
  saveCategory(
    name: string,
    input: Pick<CategoryInput, 'description' | 'response'> & Partial<CategoryInput>,
  ): Observable<Category> {
    return this.http.put<Category>(`${API}/categories/${encodeURIComponent(name)}`, input);
  }

  deleteCategory(name: string, reassignTo?: string): Observable<void> {
    const params = reassignTo ? new HttpParams().set('reassign_to', reassignTo) : undefined;
    return this.http.delete<void>(`${API}/categories/${encodeURIComponent(name)}`, { params });
  }

  interactions(filters: InteractionFilters): Observable<Page<Interaction>> {
    return this.http.get<Page<Interaction>>(`${API}/interactions`, {
      params: interactionParams(filters),
    });
  }

  reviewQueue(filters: InteractionFilters): Observable<Page<Interaction>> {
    return this.http.get<Page<Interaction>>(`${API}/review`, {
      params: interactionParams(filters),
    });
  }

  review(id: number, action: ReviewAction, category?: string): Observable<Interaction> {
    return this.http.post<Interaction>(
      `${API}/review/${id}`,
      category ? { action, category } : { action },
    );
  }

  examples(q: {
    search?: string;
    category?: string;
    limit: number;
    offset: number;
  }): Observable<Page<Example>> {
    let params = new HttpParams().set('limit', q.limit).set('offset', q.offset);
    if (q.search) params = params.set('search', q.search);
    if (q.category) params = params.set('category', q.category);
    return this.http.get<Page<Example>>(`${API}/training-examples`, { params });
  }

  addExample(text: string, label: string): Observable<unknown> {
    return this.http.post(`${API}/training-examples`, { text, label });
  }

  deleteExample(id: number): Observable<void> {
    return this.http.delete<void>(`${API}/training-examples/${id}`);
  }

  importExamples(csv: string): Observable<ImportSummary> {
    return this.http.post<ImportSummary>(`${API}/training-examples/import`, csv, {
      headers: { 'Content-Type': 'text/csv' },
    });
  }

  stats(days: number): Observable<Stats> {
    return this.http.get<Stats>(`${API}/stats`, { params: new HttpParams().set('days', days) });
  }

  /**
   * The topics of the unanswered questions asked in [from, to) (epoch milliseconds): the report, or (202) the job
   * grouping them as it goes, then the report.
   */
  topics(from: number, to: number): Observable<Analysis<TopicReport>> {
    const params = new HttpParams().set('from', from).set('to', to);
    return this.analysis(`${API}/insights/topics`, params);
  }

  /** Files a topic's questions under `category` as training examples; 404 when there is no such category. */
  assignTopic(category: string, interactionIds: number[]): Observable<TopicAssignment> {
    return this.http.post<TopicAssignment>(`${API}/insights/topics/assign`, {
      category,
      interaction_ids: interactionIds,
    });
  }

  // Models
  models(): Observable<ModelVersion[]> {
    return this.http.get<{ items: ModelVersion[] }>(`${API}/models`).pipe(map((r) => r.items));
  }

  model(version: string): Observable<ModelVersion> {
    return this.http.get<ModelVersion>(`${API}/models/${encodeURIComponent(version)}`);
  }

  /**
   * What activating `version` would change against the active version: the comparison, or (202) the job replaying
   * the questions as it goes, then the comparison. 409 when no version is active.
   */
  modelComparison(version: string): Observable<Analysis<ModelComparison>> {
    return this.analysis(`${API}/models/${encodeURIComponent(version)}/comparison`);
  }

  /** A topic report or model comparison the server answered 202 for; 404 when it does not know the id. */
  analysisJob<T>(id: number): Observable<AnalysisJob<T>> {
    return this.http.get<AnalysisJob<T>>(`${API}/analysis-jobs/${id}`);
  }

  /** GETs a route that may answer 202 with a job, and follows the job about once a second until it ends. */
  private analysis<T>(url: string, params?: HttpParams): Observable<Analysis<T>> {
    return this.http
      .get<T | { job: AnalysisJob<T> }>(url, { params, observe: 'response' })
      .pipe(
        switchMap((response) =>
          analysisFrom(response, (id) => this.analysisJob<T>(id), this.pollMs),
        ),
      );
  }

  /** Starts a training job; without a kind the server trains "auto" (the best of several kinds on validation). */
  train(input: TrainInput): Observable<TrainingJob> {
    return this.http.post<TrainingJob>(`${API}/models`, input);
  }

  activate(version: string): Observable<ModelVersion> {
    return this.http.post<ModelVersion>(
      `${API}/models/${encodeURIComponent(version)}/activate`,
      {},
    );
  }

  trainingJobs(): Observable<TrainingJob[]> {
    return this.http
      .get<{ items: TrainingJob[] }>(`${API}/training-jobs`)
      .pipe(map((r) => r.items));
  }

  trainingJob(id: number): Observable<TrainingJob> {
    return this.http.get<TrainingJob>(`${API}/training-jobs/${id}`);
  }

  cancelTraining(id: number): Observable<TrainingJob> {
    return this.http.post<TrainingJob>(`${API}/training-jobs/${id}/cancel`, {});
  }

  // Access: named tokens and the audit log
  tokens(): Observable<NamedToken[]> {
    return this.http.get<{ items: NamedToken[] }>(`${API}/tokens`).pipe(map((r) => r.items));
  }

  /** 201 with the secret (shown once); 409 when an active token has the name, 422 for a bad name. */
  createToken(name: string): Observable<CreatedToken> {
    return this.http.post<CreatedToken>(`${API}/tokens`, { name });
  }

  /** 204; 404 when no active token has the name. */
  revokeToken(name: string): Observable<void> {
    return this.http.delete<void>(`${API}/tokens/${encodeURIComponent(name)}`);
  }

  /** Admin actions, newest first. */
  audit(filters: AuditFilters): Observable<Page<AuditEntry>> {
    return this.http.get<Page<AuditEntry>>(`${API}/audit`, { params: auditParams(filters) });
  }

  // Signing in
  /**
   * Succeeds when the server accepts `token` as the admin token. The token travels in its own header, which the
   * interceptor leaves alone, so that a wrong one fails here instead of sending the user back to sign in.
   */
  checkToken(token: string): Observable<void> {
    return this.http
      .get<unknown>(`${API}/training-jobs`, { headers: { Authorization: `Bearer ${token}` } })
      .pipe(map(() => undefined));
  }

  /**
   * The name of `token` ("admin" for the built-in one). Like checkToken it brings its own header, so that a refused
   * token fails here quietly instead of sending the user to sign in from whatever page they are on.
   */
  me(token: string): Observable<Me> {
    return this.http.get<Me>(`${API}/me`, { headers: { Authorization: `Bearer ${token}` } });
  }
}
