import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { ChartConfiguration } from 'chart.js';
import { ModelVersion } from '../../core/api.types';
import { humanize, percent } from '../../shared/format';
import { ChartView } from '../../shared/chart-view';
import { MatrixCell, cellColour, confusionCells, histogramSeries } from '../chart-data';

/** A version's confusion matrix (heat map) and confidence histogram. */
@Component({
  selector: 'app-model-charts',
  imports: [ChartView],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="grid-2">
      <div class="card">
        <h3>Confusion matrix</h3>
        <p class="muted">
          Rows: true category; columns: predicted. Darker means a larger share of the row.
        </p>
        <app-chart
          [config]="confusionConfig()"
          [height]="matrixHeight()"
          [label]="
            'Confusion matrix heat map of ' +
            model().version +
            '; the per-category table below has the numbers'
          "
        />
      </div>
      <div class="card">
        <h3>Confidence histogram</h3>
        <p class="muted">Test answers by the model's confidence, right and wrong.</p>
        <app-chart
          [config]="histogramConfig()"
          [label]="'Confidence histogram of ' + model().version"
        />
      </div>
    </div>
  `,
})
export class ModelCharts {
  readonly model = input.required<ModelVersion>();

  protected readonly matrixHeight = computed(() =>
    Math.max(320, 28 * (this.model().report?.labels?.length ?? 0) + 140),
  );

  protected readonly confusionConfig = computed((): ChartConfiguration<'matrix', MatrixCell[]> => {
    const report = this.model().report ?? {};
    const names = (report.labels ?? []).map(humanize);
    const cells = confusionCells(report);
    return {
      type: 'matrix',
      data: {
        datasets: [
          {
            label: 'Examples',
            data: cells,
            backgroundColor: (ctx) => (ctx.raw ? cellColour(ctx.raw as MatrixCell) : 'transparent'),
            borderColor: 'rgba(0,0,0,0.08)',
            borderWidth: 1,
            width: ({ chart }) => (chart.chartArea?.width ?? 0) / Math.max(1, names.length) - 1,
            height: ({ chart }) => (chart.chartArea?.height ?? 0) / Math.max(1, names.length) - 1,
          },
        ],
      },
      options: {
        animation: false,
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: () => '',
              label: (ctx) => {
                const c = ctx.raw as MatrixCell;
                return `${c.y} → ${c.x}: ${c.v} (${percent(c.share)})`;
              },
            },
          },
        },
        scales: {
          x: {
            type: 'category',
            labels: names,
            offset: true,
            grid: { display: false },
            ticks: { autoSkip: false, maxRotation: 60 },
          },
          y: {
            type: 'category',
            labels: [...names].reverse(),
            offset: true,
            grid: { display: false },
            ticks: { autoSkip: false },
          },
        },
      },
    };
  });

  protected readonly histogramConfig = computed((): ChartConfiguration<'bar'> => {
    const hist = this.model().report?.confidence_histogram ?? { bins: 10, right: [], wrong: [] };
    const h = histogramSeries(hist);
    return {
      type: 'bar',
      data: {
        labels: h.labels,
        datasets: [
          { label: 'Right', data: h.right, backgroundColor: '#1e8e3e' },
          { label: 'Wrong', data: h.wrong, backgroundColor: '#d93025' },
        ],
      },
      options: {
        animation: false,
        scales: {
          x: { stacked: true, title: { display: true, text: 'Confidence' } },
          y: { stacked: true, beginAtZero: true, title: { display: true, text: 'Answers' } },
        },
      },
    };
  });
}
