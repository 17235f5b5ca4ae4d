import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  linkedSignal,
} from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { ApiService } from '../../core/api.service';
import { Topic, TopicReport } from '../../core/api.types';
import { loadError } from '../../core/api-call';
import { AnalysisProgress } from '../analysis-progress';
import { TopicCard, questionCount } from './topic-card';

const DAY_MS = 86_400_000;

/** The last `days` days up to `now` (epoch milliseconds), as the topics route takes them. */
export function topicPeriod(days: number, now: number): { from: number; to: number } {
  return { from: now - days * DAY_MS, to: now };
}

/** "57 questions grouped in 0.41 s". */
export function groupedText(questions: number, seconds: number): string {
  return `${questionCount(questions)} grouped in ${seconds.toFixed(2)} s`;
}

/**
 * What customers asked in the dashboard's period that found no answer and no agent yet, grouped into topics by the
 * server, largest first. A topic dealt with (filed under a category) leaves the list.
 */
@Component({
  selector: 'app-topics-panel',
  imports: [AnalysisProgress, TopicCard],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card" aria-labelledby="topics-title">
      <h2 id="topics-title">Unanswered topics</h2>
      <p class="muted">
        Hand-offs, unsure answers and answers rated not helpful that no agent has reviewed yet,
        grouped by what they ask. Add a topic's questions to a category as training examples, or
        make a new category of them.
      </p>
      @if (message()) {
        <p class="success" role="status">{{ message() }}</p>
      }
      @if (error()) {
        <p class="error" role="alert">{{ error() }}</p>
      } @else if (grouping(); as job) {
        <app-analysis-progress [job]="job" />
      } @else if (report.isLoading()) {
        <p class="muted" role="status">Loading…</p>
      } @else if (result()) {
        @for (t of topics(); track t.id) {
          <app-topic-card [topic]="t" (resolved)="resolve(t, $event)" />
        } @empty {
          <p class="empty">
            No unanswered topics in this period: every question found an answer or an agent.
          </p>
        }
        <p class="muted footnote">{{ footnote() }}</p>
      }
    </section>
  `,
  styles: `
    .footnote {
      margin: 0.75rem 0 0;
      font-size: 0.8rem;
    }
  `,
})
export class TopicsPanel {
  private readonly api = inject(ApiService);

  /** The dashboard's period: the last this many days, up to now. */
  readonly days = input.required<number>();

  /** The report, or the server's job grouping the questions while it runs (followed until it ends). */
  readonly report = rxResource({
    params: () => topicPeriod(this.days(), Date.now()),
    stream: ({ params }) => this.api.topics(params.from, params.to),
  });
  /** The job grouping the questions, while the server works on the report. */
  readonly grouping = computed(() => {
    const a = this.report.hasValue() ? this.report.value() : undefined;
    return a && !a.done ? a.job : null;
  });
  readonly result = computed<TopicReport | null>(() => {
    const a = this.report.hasValue() ? this.report.value() : undefined;
    return a?.done ? a.result : null;
  });
  /** The report's topics less those dealt with here; back to all of them when a report loads. */
  readonly topics = linkedSignal<Topic[]>(() => this.result()?.topics ?? []);
  readonly error = computed(() => loadError(this.report));
  /** What the last action did; cleared when another period is chosen. */
  readonly message = linkedSignal({ source: this.days, computation: () => '' });
  protected readonly footnote = computed(() => {
    const r = this.result();
    return r ? groupedText(r.questions, r.seconds) : '';
  });

  resolve(topic: Topic, message: string): void {
    this.topics.update((list) => list.filter((t) => t !== topic));
    this.message.set(message);
  }
}
