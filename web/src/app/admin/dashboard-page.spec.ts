import { HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { Observable, of, throwError } from 'rxjs';
import { Stats, TopicReport } from '../core/api.types';
import { createWithApi, text, withFakeCharts } from '../testing/page-testing';
import { DashboardPage } from './dashboard-page';

const stats = (over: Partial<Stats> = {}): Stats => ({
  volume: [{ day: 0, category: 'refund', count: 3 }],
  interactions: 3,
  handoff_rate: 0.25,
  feedback_count: 2,
  helpful_rate: 0.5,
  reviewed: 1,
  reviewed_accuracy: 1,
  days: 30,
  ...over,
});

const NOW = 1733486400000;
const DAY = 86400000;

const report = (over: Partial<TopicReport> = {}): TopicReport => ({
  from: 0,
  to: NOW,
  questions: 0,
  seconds: 0.01,
  topics: [],
  ...over,
});

describe('DashboardPage', () => {
  let asked: number[];
  let periods: [number, number][];
  let reply: (days: number) => Observable<Stats>;

  afterEach(() => vi.restoreAllMocks());

  async function create() {
    asked = [];
    periods = [];
    vi.spyOn(Date, 'now').mockReturnValue(NOW);
    const api = {
      stats: (days: number) => {
        asked.push(days);
        return reply(days);
      },
      topics: (from: number, to: number) => {
        periods.push([from, to]);
        return of({ done: true, result: report({ from, to }) });
      },
    };
    withFakeCharts(DashboardPage);
    const fixture = createWithApi(DashboardPage, api);
    await fixture.whenStable();
    return fixture;
  }

  it('shows the last 30 days, and loads another period when it is chosen', async () => {
    reply = (days) => of(stats({ days, interactions: days === 7 ? 1 : 3 }));
    const fixture = await create();
    const root: HTMLElement = fixture.nativeElement;
    expect(asked).toEqual([30]);
    const kpi = (d: Element) => Array.from(d.querySelectorAll('dt, dd')).map(text);
    expect(Array.from(root.querySelectorAll('.kpis > div')).map(kpi)).toEqual([
      ['Questions', '3'],
      ['Hand-off rate', '25.0%'],
      ['Helpful rate', '50.0%', '2 feedback'],
      ['Reviewed accuracy', '100.0%', '1 reviewed'],
    ]);
    expect(root.querySelectorAll('app-chart').length).toBe(3);

    const period = root.querySelector<HTMLSelectElement>('#days')!;
    period.value = '7';
    period.dispatchEvent(new Event('change'));
    await fixture.whenStable();
    expect(asked).toEqual([30, 7]);
    expect(text(root.querySelector('.kpis dd'))).toBe('1');
  });

  it("shows the unanswered topics of the dashboard's period", async () => {
    reply = (days) => of(stats({ days }));
    const fixture = await create();
    const root: HTMLElement = fixture.nativeElement;
    expect(periods).toEqual([[NOW - 30 * DAY, NOW]]);
    expect(text(root.querySelector('app-topics-panel h2'))).toBe('Unanswered topics');
    expect(text(root.querySelector('app-topics-panel .footnote'))).toBe(
      '0 questions grouped in 0.01 s',
    );

    const period = root.querySelector<HTMLSelectElement>('#days')!;
    period.value = '7';
    period.dispatchEvent(new Event('change'));
    await fixture.whenStable();
    expect(periods).toEqual([
      [NOW - 30 * DAY, NOW],
      [NOW - 7 * DAY, NOW],
    ]);
  });

  it('says when there is nothing to chart, and shows a failure', async () => {
    reply = () =>
      of(stats({ volume: [], interactions: 0, handoff_rate: null, helpful_rate: null }));
    const fixture = await create();
    const root: HTMLElement = fixture.nativeElement;
    expect(root.querySelectorAll('app-chart').length).toBe(0);
    expect(text(root)).toContain('No questions in this period.');
    expect(text(root)).toContain('No feedback yet.');

    TestBed.resetTestingModule();
    reply = () => throwError(() => new HttpErrorResponse({ status: 503 }));
    const failed = await create();
    expect(text(failed.nativeElement.querySelector('[role="alert"]'))).toBe(
      'The service is not ready yet. Please try again in a moment.',
    );
  });
});
