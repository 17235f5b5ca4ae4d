import { ModelReport, PolicyReport } from '../../core/api.types';
import {
  answeredRight,
  candidateRows,
  clarifyView,
  conflictNotice,
  policyView,
  trainInput,
} from './model-report';

const policy: PolicyReport = {
  policy: {
    threshold: 0.4234,
    ambiguity: 0.1,
    out_of_scope_label: 13,
    out_of_scope_ceiling: 0.012589,
  },
  goals: { answer_precision: 0.95, out_of_scope_handoff: 0.8 },
  in_scope: 120,
  out_of_scope: 20,
  in_scope_accuracy: 0.8125,
  answer_precision: 0.9612,
  handoff_rate: 0.1542,
  out_of_scope_recall: 0.85,
  precision_met: true,
  out_of_scope_met: true,
};

const full: ModelReport = {
  accuracy: 0.9,
  macro_f1: 0.88,
  policy,
  validation_policy: { ...policy, in_scope_accuracy: 0.83 },
  requested_kind: 'auto',
  candidates: {
    ngram: { accuracy: 0.88, macro_f1: 0.86, answered_right: 0.79, goals_met: true },
    linear: { accuracy: 0.9, macro_f1: 0.89, answered_right: 0.81, goals_met: false },
    ensemble: { accuracy: 0.91, macro_f1: 0.9, answered_right: 0.83, goals_met: true },
  },
  conflicting_texts: {
    count: 7,
    examples: Array.from({ length: 7 }, (_, i) => ({
      text: `text ${i}`,
      labels: ['order_status', 'billing'],
    })),
  },
  out_of_scope_class: true,
};

const byKey = (report: ModelReport | undefined) =>
  Object.fromEntries(policyView(report).rows.map((r) => [r.key, r]));

describe('policyView', () => {
  it('shows a full report with its goals met', () => {
    const view = policyView(full);
    expect(view.available).toBe(true);
    expect(view.inScope).toBe(120);
    expect(view.outOfScope).toBe(20);
    expect(view.summary).toBe(
      'On the held-out test questions (120 in its categories, 20 outside them), which training never saw.',
    );
    expect(view.rows.map((r) => r.label)).toEqual([
      'Answered and right',
      'Precision of answers',
      'Handed off',
      'Out-of-scope handed off',
      'Threshold / ambiguity',
      'Out-of-scope ceiling',
    ]);
    const rows = byKey(full);
    expect(rows['answered']).toMatchObject({ value: '81.3%', goal: null, met: null });
    expect(rows['precision']).toMatchObject({ value: '96.1%', goal: '95%', met: true });
    expect(rows['handoff']).toMatchObject({ value: '15.4%', met: null });
    expect(rows['out_of_scope']).toMatchObject({ value: '85.0%', goal: '80%', met: true });
    expect(rows['policy'].value).toBe('0.42 / 0.10');
    expect(rows['ceiling'].value).toBe('0.013');
    const noCeiling = { ...full, policy: { ...policy, policy: { threshold: 0.5, ambiguity: 0 } } };
    expect(byKey(noCeiling)['ceiling'].value).toBe('none');
    expect(answeredRight(full)).toBe('81.3%');
  });

  it('marks a goal the policy fell short of', () => {
    const below: ModelReport = {
      policy: {
        ...policy,
        goals: { answer_precision: 0.975, out_of_scope_handoff: 0.9 },
        answer_precision: 0.93,
        out_of_scope_recall: 0.6,
        precision_met: false,
        out_of_scope_met: false,
      },
    };
    const rows = byKey(below);
    expect(rows['precision']).toMatchObject({ value: '93.0%', goal: '97.5%', met: false });
    expect(rows['out_of_scope']).toMatchObject({ value: '60.0%', goal: '90%', met: false });
  });

  it('has nothing to say about out-of-scope questions when the test split had none', () => {
    const rows = byKey({ policy: { ...policy, out_of_scope: 0, out_of_scope_recall: 0 } });
    expect(rows['out_of_scope']).toMatchObject({ value: '–', met: null });
    expect(rows['out_of_scope'].detail).toMatch(/no out-of-scope questions/);
  });

  it('shows dashes for a version trained before policies were reported', () => {
    for (const old of [{ accuracy: 0.9, macro_f1: 0.88 }, undefined]) {
      const view = policyView(old);
      expect(view.available).toBe(false);
      expect(view.inScope).toBeNull();
      expect(view.summary).toMatch(/trained before hand-offs were scored/);
      expect(view.rows).toHaveLength(6);
      expect(view.rows.every((r) => r.value === '–' && r.met === null && r.goal === null)).toBe(
        true,
      );
      expect(answeredRight(old)).toBe('–');
    }
  });
});

describe('clarifyView', () => {
  const clarification = {
    mass: 0.58,
    handed_off: 70,
    asked: 52,
    recovered: 49,
    out_of_scope_handed_off: 186,
    out_of_scope_asked: 32,
    usefulness: 0.583,
  };
  const asking: PolicyReport = {
    ...policy,
    policy: { ...policy.policy!, clarify_mass: 0.58 },
    goals: { ...policy.goals, clarify_usefulness: 1 / 3 },
    in_scope: 400,
    out_of_scope: 200,
    in_scope_accuracy: 0.8,
    clarification,
  };
  const rowsOf = (report: ModelReport) => {
    const view = clarifyView(report);
    if (!view?.on) throw new Error('expected the figures');
    return Object.fromEntries(view.rows.map((r) => [r.key, r]));
  };

  it('counts the questions asked, the right categories offered and the answers that adds', () => {
    const view = clarifyView({ policy: asking });
    expect(view).toMatchObject({ on: true });
    if (!view?.on) return;
    expect(view.summary).toMatch(/hold 58% of the probability together/);
    expect(view.rows.map((r) => r.key)).toEqual([
      'clarify-asked',
      'clarify-recovered',
      'answered-with-clarify',
      'clarify-out-of-scope',
      'clarify-useful',
    ]);
    const rows = rowsOf({ policy: asking });
    expect(rows['clarify-asked'].value).toBe('52 of 70');
    expect(rows['clarify-recovered'].value).toBe('49 of 52');
    // (0.8 × 400 + 49) / 400
    expect(rows['answered-with-clarify'].value).toBe('92.3%');
    expect(rows['clarify-out-of-scope'].value).toBe('32 of 186');
    expect(rows['clarify-useful']).toMatchObject({ value: '58.3%', goal: '33.3%' });
  });

  it('shows the test split, not the validation split the mass was tuned on', () => {
    const validation = { ...asking, clarification: { ...clarification, asked: 1 } };
    expect(rowsOf({ policy: asking, validation_policy: validation })['clarify-asked'].value).toBe(
      '52 of 70',
    );
  });

  it('copes with missing figures and a test split without out-of-scope questions', () => {
    const rows = rowsOf({
      policy: { ...asking, in_scope: 0, out_of_scope: 0, clarification: { ...clarification } },
    });
    expect(rows['answered-with-clarify'].value).toBe('–');
    expect(rows['clarify-out-of-scope']).toMatchObject({
      value: '–',
      detail: 'no out-of-scope questions to test with',
    });
    const partial = { mass: 0.5 } as typeof clarification;
    const bare = rowsOf({ policy: { ...asking, goals: {}, clarification: partial } });
    expect(bare['clarify-asked'].value).toBe('–');
    expect(bare['answered-with-clarify'].value).toBe('–');
    expect(bare['clarify-useful']).toMatchObject({ value: '–', goal: null });
  });

  it('says it is off when the version never asks', () => {
    const off = { ...asking, clarification: { ...clarification, mass: 2, asked: 0 } };
    expect(clarifyView({ policy: off })).toEqual({
      on: false,
      off: '“Did you mean …?” off (no choice of categories helped on validation)',
    });
    const never = { ...off, goals: { clarify_usefulness: 1 } };
    expect(clarifyView({ policy: never })).toMatchObject({ off: expect.stringMatching(/goal/) });
  });

  it('is null for versions trained before clarifying questions', () => {
    expect(clarifyView(full)).toBeNull();
    expect(clarifyView({ accuracy: 0.9 })).toBeNull();
    expect(clarifyView(undefined)).toBeNull();
    expect(
      clarifyView({
        policy: { ...policy, policy: { threshold: 0.5, ambiguity: 0, clarify_mass: 0.5 } },
      }),
    ).toBeNull();
  });
});

describe('candidateRows', () => {
  it('puts the kinds in the order the server chooses and marks the version kind', () => {
    const rows = candidateRows(full, 'ensemble');
    expect(rows.map((r) => r.kind)).toEqual(['ensemble', 'ngram', 'linear']);
    expect(rows.map((r) => r.chosen)).toEqual([true, false, false]);
    expect(rows[0]).toEqual({
      kind: 'ensemble',
      accuracy: '91.0%',
      macroF1: '90.0%',
      answeredRight: '83.0%',
      goalsMet: 'yes',
      chosen: true,
    });
    expect(rows[2].goalsMet).toBe('no');
  });

  it('breaks ties with accuracy, then the cheaper kind', () => {
    const same = { accuracy: 0.9, answered_right: 0.8, goals_met: true };
    const rows = candidateRows(
      { candidates: { ensemble: same, ngram: same, linear: { ...same, accuracy: 0.85 } } },
      'ngram',
    );
    expect(rows.map((r) => r.kind)).toEqual(['ngram', 'ensemble', 'linear']);
    expect(rows.find((r) => r.chosen)?.kind).toBe('ngram');
  });

  it('is empty for older versions and copes with missing figures', () => {
    expect(candidateRows({}, 'ngram')).toEqual([]);
    expect(candidateRows(undefined, 'ngram')).toEqual([]);
    expect(candidateRows({ candidates: { linear: {} } }, 'linear')).toEqual([
      {
        kind: 'linear',
        accuracy: '–',
        macroF1: '–',
        answeredRight: '–',
        goalsMet: '–',
        chosen: true,
      },
    ]);
  });
});

describe('conflictNotice', () => {
  it('counts the conflicting texts and lists five', () => {
    const notice = conflictNotice(full)!;
    expect(notice.count).toBe(7);
    expect(notice.examples).toHaveLength(5);
    expect(notice.examples[0]).toEqual({ text: 'text 0', labels: 'Order status, Billing' });
    expect(notice.more).toBe(2);
  });

  it('is null without conflicts', () => {
    expect(conflictNotice({ conflicting_texts: { count: 0, examples: [] } })).toBeNull();
    expect(conflictNotice({})).toBeNull();
    expect(conflictNotice(undefined)).toBeNull();
  });
});

describe('trainInput', () => {
  it('leaves auto and empty fields to the server', () => {
    expect(trainInput({ kind: 'auto', epochs: null, answerPrecision: '' })).toEqual({ input: {} });
  });

  it('sends the kind, the epochs and the precision goal', () => {
    expect(trainInput({ kind: 'linear', epochs: 12, answerPrecision: 0.9 })).toEqual({
      input: { kind: 'linear', epochs: 12, answer_precision: 0.9 },
    });
  });

  it('refuses values out of range', () => {
    expect(trainInput({ kind: 'auto', epochs: null, answerPrecision: 0.4 })).toEqual({
      error: expect.stringMatching(/0\.50 to 1\.00/),
    });
    expect(trainInput({ kind: 'auto', epochs: null, answerPrecision: 1.2 })).toHaveProperty(
      'error',
    );
    expect(trainInput({ kind: 'auto', epochs: 0, answerPrecision: null })).toHaveProperty('error');
  });
});
