import { TestBed } from '@angular/core/testing';
import { By } from '@angular/platform-browser';
import { of } from 'rxjs';
import { ApiService } from '../../core/api.service';
import { ModelVersion, TrainInput, TrainingJob } from '../../core/api.types';
import { text, withFakeCharts } from '../../testing/page-testing';
import { comparisonFixture } from './comparison-fixture';
import { ModelCharts } from './model-charts';
import { ModelsPage } from './models-page';
import { TrainingPanel } from './training-panel';

const current: ModelVersion = {
  version: 'ensemble-2',
  kind: 'ensemble',
  active: false,
  served: false,
  created_at: 2,
  data_fingerprint: 'f',
  accuracy: 0.91,
  macro_f1: 0.9,
  report: {
    accuracy: 0.91,
    macro_f1: 0.9,
    policy: {
      policy: { threshold: 0.35, ambiguity: 0.05 },
      goals: { answer_precision: 0.95, out_of_scope_handoff: 0.8 },
      in_scope: 100,
      out_of_scope: 10,
      in_scope_accuracy: 0.84,
      answer_precision: 0.93,
      handoff_rate: 0.1,
      out_of_scope_recall: 0.9,
      precision_met: false,
      out_of_scope_met: true,
    },
    candidates: {
      linear: { accuracy: 0.9, answered_right: 0.8, goals_met: false },
      ensemble: { accuracy: 0.92, answered_right: 0.85, goals_met: false },
    },
    requested_kind: 'auto',
    conflicting_texts: {
      count: 1,
      examples: [{ text: 'where is my money', labels: ['refund', 'payment_billing'] }],
    },
  },
};

const old: ModelVersion = {
  version: 'ngram-1',
  kind: 'ngram',
  active: true,
  served: true,
  created_at: 1,
  data_fingerprint: 'e',
  accuracy: 0.88,
  macro_f1: 0.87,
  report: { accuracy: 0.88, macro_f1: 0.87 },
};

const comparison = (candidate: string, active: string) => comparisonFixture({ candidate, active });

describe('ModelsPage', () => {
  let trained: TrainInput[];
  let activated: string[];
  let compared: string[];
  let versions: ModelVersion[];

  function create() {
    trained = [];
    activated = [];
    compared = [];
    versions = [current, old];
    const api = {
      models: () => of(versions),
      modelComparison: (version: string) => {
        compared.push(version);
        const active = versions.find((m) => m.active)!.version;
        return of({ done: true, result: comparison(version, active) });
      },
      activate: (version: string) => {
        activated.push(version);
        return of({ ...current, active: true });
      },
      trainingJobs: () => of([]),
      train: (input: TrainInput) => {
        trained.push(input);
        return of({
          id: 1,
          kind: 'auto',
          status: 'running',
          progress: {},
        } as unknown as TrainingJob);
      },
    };
    TestBed.configureTestingModule({
      imports: [ModelsPage],
      providers: [{ provide: ApiService, useValue: api }],
    });
    withFakeCharts(ModelCharts);
    const fixture = TestBed.createComponent(ModelsPage);
    fixture.detectChanges();
    return fixture;
  }

  it('shows each version with its kind and the share it answered right, "–" for older versions', async () => {
    const fixture = create();
    await fixture.whenStable();
    const root: HTMLElement = fixture.nativeElement;
    const headers = Array.from(root.querySelectorAll('table.versions th')).map(text);
    expect(headers).toContain('Kind');
    expect(headers).toContain('Answered right');
    expect(text(root.querySelector('tr[data-version="ensemble-2"] td.kind'))).toBe('ensemble');
    expect(text(root.querySelector('tr[data-version="ensemble-2"] td.answered'))).toBe('84.0%');
    expect(text(root.querySelector('tr[data-version="ngram-1"] td.answered'))).toBe('–');
  });

  it('reports how the active version answers customers, the kinds compared and the conflicting texts', async () => {
    const fixture = create();
    await fixture.whenStable();
    // The active version is selected first: an old one, without a policy.
    const root: HTMLElement = fixture.nativeElement;
    expect(text(root.querySelector('[data-key="answered"] dd.value'))).toBe('–');
    expect(root.querySelector('table.candidates')).toBeNull();
    expect(root.querySelector('.conflicts')).toBeNull();

    fixture.componentInstance.select(current);
    await fixture.whenStable();
    const card = root.querySelector('.answering')!;
    expect(text(card.querySelector('h3'))).toBe('Answering customers');
    expect(text(card.querySelector('[data-key="answered"] dd.value'))).toBe('84.0%');
    expect(text(card.querySelector('[data-key="precision"]'))).toContain('goal 95% ✗ below goal');
    expect(text(card.querySelector('[data-key="out_of_scope"]'))).toContain('goal 80% ✓ met');
    expect(text(card.querySelector('[data-key="policy"] dd.value'))).toBe('0.35 / 0.05');
    expect(text(card.querySelector('table.candidates caption'))).toBe(
      'Kinds compared on validation',
    );
    const rows = Array.from(card.querySelectorAll('table.candidates tbody tr'));
    expect(rows.map((r) => r.getAttribute('data-kind'))).toEqual(['ensemble', 'linear']);
    expect(text(rows[0])).toContain('chosen');
    expect(text(root.querySelector('.conflicts'))).toContain('1 text was left out of training');
    expect(text(root.querySelector('.conflicts li'))).toBe(
      '“where is my money” — Refund, Payment billing',
    );
  });

  it('puts the activation figures in the confirmation', async () => {
    const fixture = create();
    await fixture.whenStable();
    fixture.componentInstance.confirming.set('ensemble-2');
    await fixture.whenStable();
    expect(text(fixture.nativeElement.querySelector('#confirm-text'))).toContain(
      'answered and right 84.0%',
    );
  });

  it('sends the kind and the precision goal, leaving auto to the server', async () => {
    const fixture = create();
    await fixture.whenStable();
    const root: HTMLElement = fixture.nativeElement;
    const kind = root.querySelector<HTMLSelectElement>('#train-kind')!;
    expect(Array.from(kind.options).map((o) => o.textContent?.trim())).toEqual([
      'auto (best on validation)',
      'linear',
      'ngram',
      'ensemble',
    ]);
    expect(kind.value).toBe('auto');
    root.querySelector<HTMLButtonElement>('.train-form button[type="submit"]')!.click();
    await fixture.whenStable();
    expect(trained).toEqual([{}]);
  });

  it('sends a chosen kind and precision goal, and refuses a goal out of range', async () => {
    const fixture = create();
    await fixture.whenStable();
    const root: HTMLElement = fixture.nativeElement;
    const kind = root.querySelector<HTMLSelectElement>('#train-kind')!;
    const precision = root.querySelector<HTMLInputElement>('#answer-precision')!;
    expect(root.querySelector('label[for="answer-precision"]')).not.toBeNull();
    expect(precision.placeholder).toBe('0.95');
    kind.value = 'linear';
    kind.dispatchEvent(new Event('change'));
    precision.value = '0.3';
    precision.dispatchEvent(new Event('input'));
    const submit = root.querySelector<HTMLButtonElement>('.train-form button[type="submit"]')!;
    submit.click();
    await fixture.whenStable();
    expect(trained).toEqual([]);
    expect(text(root.querySelector('.error'))).toContain('0.50 to 1.00');
    precision.value = '0.9';
    precision.dispatchEvent(new Event('input'));
    submit.click();
    await fixture.whenStable();
    expect(trained).toEqual([{ kind: 'linear', answer_precision: 0.9 }]);
  });

  it('activates a version only after confirming, then reloads the list', async () => {
    const fixture = create();
    await fixture.whenStable();
    const root: HTMLElement = fixture.nativeElement;
    versions = [
      { ...current, active: true, served: true },
      { ...old, active: false },
    ];
    const row = root.querySelector('tr[data-version="ensemble-2"]')!;
    const activate = Array.from(row.querySelectorAll('button')).find(
      (b) => text(b) === 'Activate',
    )!;
    activate.click();
    await fixture.whenStable();
    expect(activated).toEqual([]);
    const dialog = root.querySelector('[role="alertdialog"]')!;
    expect(text(dialog.querySelector('#confirm-text'))).toContain('Activate ensemble-2?');
    Array.from(dialog.querySelectorAll('button'))
      .find((b) => text(b) === 'Yes, activate')!
      .click();
    await fixture.whenStable();
    expect(activated).toEqual(['ensemble-2']);
    expect(root.querySelector('[role="alertdialog"]')).toBeNull();
    expect(text(root.querySelector('[role="status"]'))).toBe('ensemble-2 is now active.');
    expect(text(root.querySelector('tr[data-version="ensemble-2"] .badge.ok'))).toBe('active');
    expect(root.querySelector('tr[data-version="ngram-1"] .badge.ok')).toBeNull();
    // The report shown before stays shown.
    expect(text(root.querySelector('#report-title'))).toBe('Report for ngram-1');
  });

  it('shows the report of a version as soon as it is trained', async () => {
    const fixture = create();
    await fixture.whenStable();
    const fresh: ModelVersion = { ...current, version: 'linear-3', kind: 'linear', created_at: 3 };
    versions = [fresh, current, old];
    const panel = fixture.debugElement.query(By.directive(TrainingPanel))
      .componentInstance as TrainingPanel;
    panel.trained.emit('linear-3');
    await fixture.whenStable();
    const root: HTMLElement = fixture.nativeElement;
    expect(root.querySelectorAll('table.versions tbody tr[data-version]').length).toBe(3);
    expect(text(root.querySelector('#report-title'))).toBe('Report for linear-3');
    expect(root.querySelector('tr[data-version="linear-3"]')!.classList).toContain('selected');
  });

  it('compares a version that is not active with the active one, beside its report', async () => {
    const fixture = create();
    await fixture.whenStable();
    const root: HTMLElement = fixture.nativeElement;
    // The active version is shown first: nothing to compare.
    expect(text(root.querySelector('#report-title'))).toBe('Report for ngram-1');
    expect(root.querySelector('app-version-comparison')).toBeNull();
    expect(compared).toEqual([]);

    fixture.componentInstance.select(current);
    await fixture.whenStable();
    expect(text(root.querySelector('#comparison-title'))).toBe(
      'ensemble-2 compared with the active version',
    );
    expect(text(root.querySelector('.comparison'))).toContain('ensemble-2 against ngram-1');
    expect(text(root.querySelector('[data-key="accuracy"] dd.value'))).toBe('84.0% → 88.1%');
    expect(compared).toEqual(['ensemble-2']);
  });

  it('puts the comparison headline in the confirmation, asking the server once', async () => {
    const fixture = create();
    await fixture.whenStable();
    const root: HTMLElement = fixture.nativeElement;
    fixture.componentInstance.select(current);
    fixture.componentInstance.confirming.set('ensemble-2');
    await fixture.whenStable();
    expect(text(root.querySelector('[role="alertdialog"] .headline'))).toBe(
      'On 312 reviewed questions: 84.0% → 88.1%; 41 of 5,000 recent answers change.',
    );
    expect(root.querySelector('.comparison')).not.toBeNull();
    expect(compared).toEqual(['ensemble-2']);
  });

  it('hides the comparison once the version is activated', async () => {
    const fixture = create();
    await fixture.whenStable();
    const root: HTMLElement = fixture.nativeElement;
    fixture.componentInstance.select(current);
    await fixture.whenStable();
    expect(root.querySelector('.comparison')).not.toBeNull();
    versions = [
      { ...current, active: true, served: true },
      { ...old, active: false },
    ];
    fixture.componentInstance.activate(current);
    await fixture.whenStable();
    expect(text(root.querySelector('#report-title'))).toBe('Report for ensemble-2');
    expect(root.querySelector('.comparison')).toBeNull();
  });
});
