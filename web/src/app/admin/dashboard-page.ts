import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { ChartConfiguration } from 'chart.js';
import { ApiService } from '../core/api.service';
import { latest, loadError } from '../core/api-call';
import { percent } from '../shared/format';
import { ChartView } from '../shared/chart-view';
import { PALETTE, rateSlices, volumeSeries } from './chart-data';
import { TopicsPanel } from './topics/topics-panel';

/** A rate the dashboard draws as a doughnut of two slices, the first one the rate's share. */
interface Rate {
  title: string;
  key: 'handoff_rate' | 'helpful_rate';
  slices: [string, string];
  colours: [string, string];
  /** Said instead of the chart while the rate is unknown. */
  none: string;
}

const RATES: Rate[] = [
  {
    title: 'Hand-off rate',
    key: 'handoff_rate',
    slices: ['Handed off', 'Answered'],
    colours: ['#f9ab00', '#1f5fbf'],
    none: 'No questions yet.',
  },
  {
    title: 'Helpful rate',
    key: 'helpful_rate',
    slices: ['Helpful', 'Not helpful'],
    colours: ['#1e8e3e', '#d93025'],
    none: 'No feedback yet.',
  },
];

/**
 * Traffic: volume per category over time, the hand-off rate and the helpful rate; and the period's unanswered
 * questions grouped into topics.
 */
@Component({
  selector: 'app-dashboard-page',
  imports: [ChartView, TopicsPanel],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Dashboard</h1>
    <div class="period">
      <label for="days">Period</label>
      <select id="days" (change)="load(+asValue($event))">
        @for (d of periods; track d) {
          <option [value]="d" [selected]="d === days()">Last {{ d }} days</option>
        }
      </select>
    </div>
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    @if (stats(); as s) {
      <dl class="kpis">
        <div class="card">
          <dt>Questions</dt>
          <dd>{{ s.interactions }}</dd>
        </div>
        <div class="card">
          <dt>Hand-off rate</dt>
          <dd>{{ pct(s.handoff_rate) }}</dd>
        </div>
        <div class="card">
          <dt>Helpful rate</dt>
          <dd>{{ pct(s.helpful_rate) }}</dd>
          <dd class="muted">{{ s.feedback_count }} feedback</dd>
        </div>
        <div class="card">
          <dt>Reviewed accuracy</dt>
          <dd>{{ pct(s.reviewed_accuracy) }}</dd>
          <dd class="muted">{{ s.reviewed }} reviewed</dd>
        </div>
      </dl>
      <div class="card">
        <h2>Volume per category</h2>
        @if (s.volume.length) {
          <app-chart
            [config]="volumeConfig()"
            [height]="340"
            label="Stacked bar chart of questions per category per day"
          />
        } @else {
          <p>No questions in this period.</p>
        }
      </div>
      <div class="grid-2">
        @for (r of rateCharts(); track r.title) {
          <div class="card">
            <h2>{{ r.title }}</h2>
            @if (r.rate !== null) {
              <app-chart [config]="r.config" [height]="240" [label]="r.title + ' ' + pct(r.rate)" />
            } @else {
              <p>{{ r.none }}</p>
            }
          </div>
        }
      </div>
    } @else if (!error()) {
      <p class="muted" role="status">Loading…</p>
    }
    <app-topics-panel [days]="days()" />
  `,
  styles: `
    .period {
      max-width: 14rem;
      margin-bottom: 1rem;
    }
    .kpis {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr));
      gap: 0.75rem;
      margin: 0 0 1rem;
    }
    .kpis .card {
      margin: 0;
    }
    .kpis dt {
      color: var(--muted);
      font-size: 0.9rem;
    }
    .kpis dd {
      margin: 0;
      font-size: 1.5rem;
      font-weight: 700;
    }
    .kpis dd.muted {
      font-size: 0.85rem;
      font-weight: normal;
    }
  `,
})
export class DashboardPage {
  private readonly api = inject(ApiService);
  protected readonly pct = percent;
  protected readonly periods = [7, 30, 90, 365];

  readonly days = signal(30);
  private readonly statsData = rxResource({
    params: () => this.days(),
    stream: ({ params }) => this.api.stats(params),
  });
  readonly stats = latest(this.statsData);
  readonly error = computed(() => loadError(this.statsData));

  readonly volumeConfig = computed((): ChartConfiguration<'bar'> => {
    const { labels, series } = volumeSeries(this.stats()?.volume ?? []);
    return {
      type: 'bar',
      data: {
        labels,
        datasets: series.map((s, i) => ({
          label: s.label,
          data: s.data,
          backgroundColor: PALETTE[i % PALETTE.length],
        })),
      },
      options: {
        animation: false,
        scales: {
          x: { stacked: true },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
        },
        plugins: { legend: { position: 'bottom' } },
      },
    };
  });

  readonly rateCharts = computed(() => {
    const stats = this.stats();
    return RATES.map((r) => {
      const rate = stats?.[r.key] ?? null;
      return { ...r, rate, config: this.rateConfig(rate, r.slices, r.colours) };
    });
  });

  protected asValue(event: Event): string {
    return (event.target as HTMLSelectElement).value;
  }

  load(days: number): void {
    this.days.set(days);
  }

  private rateConfig(
    rate: number | null,
    labels: string[],
    colours: string[],
  ): ChartConfiguration<'doughnut'> {
    return {
      type: 'doughnut',
      data: { labels, datasets: [{ data: rateSlices(rate), backgroundColor: colours }] },
      options: {
        animation: false,
        plugins: {
          legend: { position: 'bottom' },
          tooltip: { callbacks: { label: (ctx) => `${ctx.label}: ${ctx.parsed}%` } },
        },
      },
    };
  }
}
