import { TestBed } from '@angular/core/testing';
import { ModelVersion, PolicyReport } from '../../core/api.types';
import { text, withFakeCharts } from '../../testing/page-testing';
import { ModelCharts } from './model-charts';
import { VersionReport } from './version-report';

const policy: PolicyReport = {
  policy: { threshold: 0.35, ambiguity: 0.05, clarify_mass: 0.58 },
  goals: { answer_precision: 0.95, out_of_scope_handoff: 0.8, clarify_usefulness: 1 / 3 },
  in_scope: 400,
  out_of_scope: 200,
  in_scope_accuracy: 0.8,
  answer_precision: 0.95,
  handoff_rate: 0.175,
  out_of_scope_recall: 0.93,
  precision_met: true,
  out_of_scope_met: true,
  clarification: {
    mass: 0.58,
    handed_off: 70,
    asked: 52,
    recovered: 49,
    out_of_scope_handed_off: 186,
    out_of_scope_asked: 32,
    usefulness: 0.583,
  },
};

const version = (report: ModelVersion['report']): ModelVersion => ({
  version: 'ensemble-3',
  kind: 'ensemble',
  active: false,
  served: false,
  created_at: 3,
  data_fingerprint: 'f',
  accuracy: 0.9,
  macro_f1: 0.88,
  report,
});

describe('VersionReport', () => {
  function render(model: ModelVersion): HTMLElement {
    withFakeCharts(ModelCharts);
    const fixture = TestBed.createComponent(VersionReport);
    fixture.componentRef.setInput('model', model);
    fixture.detectChanges();
    return fixture.nativeElement;
  }

  const figure = (root: HTMLElement, key: string) =>
    text(root.querySelector(`.answering [data-key="${key}"] dd.value`));

  it('shows what "Did you mean …?" adds on the test questions beside the other figures', () => {
    const root = render(version({ policy, validation_policy: { ...policy, in_scope: 1 } }));
    expect(figure(root, 'answered')).toBe('80.0%');
    expect(text(root.querySelector('.answering .clarify h4'))).toBe('“Did you mean …?”');
    expect(figure(root, 'clarify-asked')).toBe('52 of 70');
    expect(figure(root, 'clarify-recovered')).toBe('49 of 52');
    expect(figure(root, 'answered-with-clarify')).toBe('92.3%');
    expect(figure(root, 'clarify-out-of-scope')).toBe('32 of 186');
    expect(figure(root, 'clarify-useful')).toBe('58.3%');
    expect(text(root.querySelector('[data-key="clarify-useful"] dd.goal'))).toBe(
      'goal 33.3% on validation',
    );
    expect(root.querySelector('[data-key="clarify-off"]')).toBeNull();
  });

  it('says when the version never asks', () => {
    const off = { ...policy, clarification: { ...policy.clarification!, mass: 2, asked: 0 } };
    const root = render(version({ policy: off }));
    expect(text(root.querySelector('.answering [data-key="clarify-off"]'))).toBe(
      '“Did you mean …?” off (no choice of categories helped on validation)',
    );
    expect(root.querySelector('.clarify-stats')).toBeNull();
  });

  it('shows nothing about it for versions trained before clarifying questions', () => {
    const { clarification: _, ...older } = policy;
    for (const report of [
      { policy: { ...older, policy: { threshold: 0.35, ambiguity: 0 } } },
      {},
    ]) {
      const root = render(version(report));
      expect(root.querySelector('.answering [data-key="answered"]')).not.toBeNull();
      expect(root.querySelector('.clarify, [data-key="clarify-off"]')).toBeNull();
      expect(text(root)).not.toContain('Did you mean');
      TestBed.resetTestingModule();
    }
  });
});
