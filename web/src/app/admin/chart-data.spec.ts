import { TrainingJob } from '../core/api.types';
import { cellColour, confusionCells, histogramSeries, jobPercent, rateSlices, volumeSeries } from './chart-data';

const DAY = 86_400_000;
const D0 = Date.UTC(2026, 10, 20);

describe('volumeSeries', () => {
  it('fills missing days with zero and gives one series per category', () => {
    const { labels, series } = volumeSeries([
      { day: D0 + 2 * DAY, category: 'order_status', count: 4 },
      { day: D0, category: 'order_status', count: 1 },
      { day: D0, category: 'account_access', count: 2 },
    ]);
    expect(labels).toEqual(['2026-11-20', '2026-11-21', '2026-11-22']);
    expect(series).toEqual([
      { label: 'Account access', data: [2, 0, 0] },
      { label: 'Order status', data: [1, 0, 4] },
    ]);
  });

  it('is empty without traffic', () => {
    expect(volumeSeries([])).toEqual({ labels: [], series: [] });
  });
});

describe('confusion matrix', () => {
  const report = { labels: ['a_b', 'c'], confusion_matrix: [[3, 1], [0, 0]] };

  it('makes one cell per pair with the share of its true category', () => {
    const cells = confusionCells(report);
    expect(cells).toHaveLength(4);
    expect(cells[0]).toEqual({ x: 'A b', y: 'A b', v: 3, share: 0.75 });
    expect(cells[1]).toEqual({ x: 'C', y: 'A b', v: 1, share: 0.25 });
    expect(cells[3].share).toBe(0); // an empty row does not divide by zero
  });

  it('colours hits blue and confusions red, by share', () => {
    const [hit, miss, , empty] = confusionCells(report);
    expect(cellColour(hit)).toBe('rgba(31, 95, 191, 0.787)');
    expect(cellColour(miss)).toMatch(/^rgba\(217, 48, 37, 0\.36/);
    expect(cellColour(empty)).toMatch(/0\.030\)$/);
  });
});

describe('histogramSeries', () => {
  it('labels the bins and pads short arrays', () => {
    const h = histogramSeries({ bins: 4, right: [1, 2, 3, 4], wrong: [5] });
    expect(h.labels).toEqual(['0.0–0.3', '0.3–0.5', '0.5–0.8', '0.8–1.0']);
    expect(h.wrong).toEqual([5, 0, 0, 0]);
  });
});

describe('jobPercent', () => {
  const job = (status: TrainingJob['status'], progress: TrainingJob['progress']) =>
    ({ id: 1, kind: 'ngram', status, progress, error: null, model_version: null, created_at: 0, finished_at: null }) as TrainingJob;

  it('follows the job and reaches 100 when it succeeds, even after early stopping', () => {
    expect(jobPercent(null)).toBe(0);
    expect(jobPercent(job('running', {}))).toBe(0);
    expect(jobPercent(job('running', { percent: 25 }))).toBe(25);
    expect(jobPercent(job('running', { epoch: 3, epochs: 4 }))).toBe(75);
    expect(jobPercent(job('succeeded', { percent: 85 }))).toBe(100);
    expect(jobPercent(job('running', { percent: 140 }))).toBe(100);
  });
});

describe('rateSlices', () => {
  it('splits a rate into two percentages', () => {
    expect(rateSlices(0.6667)).toEqual([66.7, 33.3]);
    expect(rateSlices(null)).toEqual([]);
  });
});
