import { provideHttpClient } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  TestRequest,
} from '@angular/common/http/testing';
import { Component, Provider, Type, input } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { ANALYSIS_POLL_MS } from '../core/analysis';
import { ApiService } from '../core/api.service';
import { AnalysisJob, Interaction } from '../core/api.types';
import { ChartView } from '../shared/chart-view';

// Helpers for the page specs (imported by `*.spec.ts` files only, so never part of the app bundle).

/** An element's text with runs of white space folded, as a reader sees it. */
export const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** Lets resources take their answers and the view catch up; whenStable would wait for open requests. */
export async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r));
  TestBed.tick();
}

/** Types a value into an input, textarea or select the way a user would (an `input` or `change` event), then settles. */
export async function enter(el: Element | null, value: string): Promise<void> {
  const field = el as HTMLInputElement | HTMLSelectElement;
  field.value = value;
  field.dispatchEvent(new Event(field.tagName === 'SELECT' ? 'change' : 'input'));
  await settle();
}

/**
 * Renders a page (or a component, with its `inputs` and the services in `providers`) over the real ApiService
 * and a test backend, and lets its first requests go out: the caller answers them through `backend`.
 */
export async function createWithBackend<T>(
  page: Type<T>,
  options: { providers?: Provider[]; inputs?: Record<string, unknown> } = {},
): Promise<{ fixture: ComponentFixture<T>; backend: HttpTestingController }> {
  TestBed.configureTestingModule({
    imports: [page],
    providers: [provideHttpClient(), provideHttpClientTesting(), ...(options.providers ?? [])],
  });
  const backend = TestBed.inject(HttpTestingController);
  const fixture = TestBed.createComponent(page);
  for (const [name, value] of Object.entries(options.inputs ?? {}))
    fixture.componentRef.setInput(name, value);
  fixture.detectChanges();
  await settle();
  return { fixture, backend };
}

/** Renders a component over a stand-in ApiService: `api` holds the methods it calls. */
export function createWithApi<T>(component: Type<T>, api: object): ComponentFixture<T> {
  TestBed.configureTestingModule({
    imports: [component],
    providers: [{ provide: ApiService, useValue: api }],
  });
  const fixture = TestBed.createComponent(component);
  fixture.detectChanges();
  return fixture;
}

/** Stands in for the Chart.js wrapper: jsdom has no canvas. */
@Component({ selector: 'app-chart', template: '' })
export class FakeChart {
  readonly config = input<unknown>();
  readonly label = input('');
  readonly height = input(300);
}

/** Draws no charts in `component` (one that imports ChartView); call it before the component is created. */
export function withFakeCharts(component: Type<unknown>): void {
  TestBed.overrideComponent(component, {
    remove: { imports: [ChartView] },
    add: { imports: [FakeChart] },
  });
}

/** Answers a request the way the server refuses one: an HTTP error status with the API's error body. */
export function refuse(req: TestRequest, status: number, code: string, message: string): void {
  req.flush({ error: { code, message } }, { status, statusText: 'Refused' });
}

/** An answered interaction with nothing on it yet (no feedback, no review); `over` sets what a test needs. */
export const interaction = (id: number, over: Partial<Interaction> = {}): Interaction => ({
  id,
  query: `question ${id}`,
  category: 'payment_billing',
  confidence: 0.42,
  response: 'r',
  handoff: false,
  model_version: 'v',
  session_id: null,
  created_at: 0,
  feedback: null,
  review: null,
  reviewed_category: null,
  ...over,
});

/** Follows analysis jobs every few milliseconds instead of every second. */
export const fastPolling: Provider = { provide: ANALYSIS_POLL_MS, useValue: 5 };

/** A topic report or comparison the server is still working on; `over` sets what a test needs. */
export const analysisJob = (over: Partial<AnalysisJob> = {}): AnalysisJob => ({
  id: 7,
  kind: 'topics',
  status: 'running',
  params: {},
  progress: { percent: 0, stage: 'reading' },
  created_at: 1733470000000,
  ...over,
});

/** Answers a topics or comparison request the way the server does when the work takes a while: 202 with the job. */
export function accept(req: TestRequest, job: AnalysisJob): void {
  req.flush(
    { job },
    {
      status: 202,
      statusText: 'Accepted',
      headers: { Location: `/api/v1/analysis-jobs/${job.id}` },
    },
  );
}

/** The next request about analysis job `id`, once the polling interval has passed (about 2 s at most). */
export async function nextJobPoll(
  backend: HttpTestingController,
  id: number,
): Promise<TestRequest> {
  const url = `/api/v1/analysis-jobs/${id}`;
  for (let attempt = 0; attempt < 400; attempt++) {
    const found = backend.match({ method: 'GET', url });
    if (found.length > 1)
      throw new Error(`${found.length} requests about analysis job ${id} at once`);
    if (found.length === 1) return found[0];
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`no request about analysis job ${id}`);
}

/** Waits several polling intervals (for a spec to see that no poll comes). */
export const severalPolls = () => new Promise((r) => setTimeout(r, 60));
