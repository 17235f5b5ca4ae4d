import { ModelReport, Stats, TrainingJob } from '../core/api.types';
import { humanize } from '../shared/format';

const DAY = 86_400_000;
export const PALETTE = [
  '#1f5fbf', '#e8710a', '#1e8e3e', '#d93025', '#9334e6', '#12b5cb', '#f9ab00',
  '#5f6368', '#e52592', '#7cb342', '#3949ab', '#8d6e63', '#00897b', '#c0ca33',
];

export interface Series {
  label: string;
  data: number[];
}

/** Volume per category per day: one label per day from the first to the last (gaps filled with 0), one series per category. */
export function volumeSeries(volume: Stats['volume']): { labels: string[]; series: Series[] } {
  if (volume.length === 0) return { labels: [], series: [] };
  const days = volume.map((v) => v.day);
  const first = Math.min(...days);
  const last = Math.max(...days);
  const count = Math.round((last - first) / DAY) + 1;
  const labels = Array.from({ length: count }, (_, i) => new Date(first + i * DAY).toISOString().slice(0, 10));
  const categories = [...new Set(volume.map((v) => v.category))].sort();
  const series = categories.map((category) => {
    const data = new Array<number>(count).fill(0);
    for (const v of volume) {
      if (v.category === category) data[Math.round((v.day - first) / DAY)] += v.count;
    }
    return { label: humanize(category), data };
  });
  return { labels, series };
}

export interface MatrixCell {
  x: string;
  y: string;
  v: number;
  /** share of the true category's examples (row) that landed here */
  share: number;
}

/** Confusion matrix cells (y: true category, x: predicted), with each row's share for the colour. */
export function confusionCells(report: ModelReport): MatrixCell[] {
  const labels = report.labels ?? [];
  const matrix = report.confusion_matrix ?? [];
  const cells: MatrixCell[] = [];
  matrix.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    row.forEach((v, j) => {
      cells.push({ x: humanize(labels[j] ?? `#${j}`), y: humanize(labels[i] ?? `#${i}`), v, share: total ? v / total : 0 });
    });
  });
  return cells;
}

/** The colour of a heat-map cell: correct predictions blue, confusions red, stronger for larger shares. */
export function cellColour(cell: MatrixCell): string {
  const alpha = cell.v === 0 ? 0.03 : 0.15 + 0.85 * cell.share;
  return cell.x === cell.y ? `rgba(31, 95, 191, ${alpha.toFixed(3)})` : `rgba(217, 48, 37, ${alpha.toFixed(3)})`;
}

/** Confidence histogram: bin labels "0.0–0.1" … and the right and wrong counts per bin. */
export function histogramSeries(hist: NonNullable<ModelReport['confidence_histogram']>): { labels: string[]; right: number[]; wrong: number[] } {
  const bins = hist.bins || Math.max(hist.right.length, hist.wrong.length);
  const labels = Array.from({ length: bins }, (_, i) => `${(i / bins).toFixed(1)}–${((i + 1) / bins).toFixed(1)}`);
  const pad = (xs: number[]) => Array.from({ length: bins }, (_, i) => xs[i] ?? 0);
  return { labels, right: pad(hist.right), wrong: pad(hist.wrong) };
}

/** Percentage for the progress bar: the job's own, 100 once it succeeded, clamped to 0–100. */
export function jobPercent(job: TrainingJob | null): number {
  if (!job) return 0;
  if (job.status === 'succeeded') return 100;
  const p = job.progress?.percent ?? (job.progress?.epoch && job.progress?.epochs ? (100 * job.progress.epoch) / job.progress.epochs : 0);
  return Math.max(0, Math.min(100, Math.round(p)));
}

/** A rate as two doughnut slices; an unknown rate (no data yet) gives no slices. */
export function rateSlices(rate: number | null): number[] {
  if (rate === null || rate === undefined) return [];
  const r = Math.max(0, Math.min(1, rate));
  return [Math.round(r * 1000) / 10, Math.round((1 - r) * 1000) / 10];
}
