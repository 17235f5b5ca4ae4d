import { ModelReport, TrainInput, TrainKind } from '../../core/api.types';
import { humanize, percent } from '../../shared/format';

/** The kinds the training form offers; "auto" (the server's default) compares linear, ngram and their ensemble. */
export const TRAIN_KINDS: { value: TrainKind; label: string }[] = [
  { value: 'auto', label: 'auto (best on validation)' },
  { value: 'linear', label: 'linear' },
  { value: 'ngram', label: 'ngram' },
  { value: 'ensemble', label: 'ensemble' },
];

/** One figure of the "Answering customers" card. */
export interface PolicyRow {
  key: 'answered' | 'precision' | 'handoff' | 'out_of_scope' | 'policy' | 'ceiling';
  label: string;
  /** the figure, "–" when the report does not have it */
  value: string;
  /** what the figure means */
  detail: string;
  /** the goal, as a percentage, for the figures that have one */
  goal: string | null;
  /** whether the goal was reached; null without a goal or without the figure */
  met: boolean | null;
}

export interface PolicyView {
  /** false for versions trained before the policy was reported: every figure is then "–" */
  available: boolean;
  /** test questions inside and outside the categories, when known */
  inScope: number | null;
  outOfScope: number | null;
  /** one sentence on what the figures are measured on */
  summary: string;
  rows: PolicyRow[];
}

/** 0.95 → "95%", 0.955 → "95.5%"; missing → null. */
function goalText(goal: number | undefined): string | null {
  if (goal === undefined || goal === null || Number.isNaN(goal)) return null;
  const tenths = Math.round(goal * 1000);
  return percent(goal, tenths % 10 === 0 ? 0 : 1);
}

function fixed(value: number | undefined, digits = 2): string {
  return value === undefined || value === null || Number.isNaN(value) ? '–' : value.toFixed(digits);
}

function flag(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

/** The share of in-scope test questions the version answered and got right ("–" for older versions). */
export function answeredRight(report: ModelReport | null | undefined): string {
  return percent(report?.policy?.in_scope_accuracy);
}

/** The hand-off policy of a report (scored on the test split) as display rows, with each goal met or not. */
export function policyView(report: ModelReport | null | undefined): PolicyView {
  const p = report?.policy;
  const available = !!p && typeof p === 'object';
  const outOfScope = typeof p?.out_of_scope === 'number' ? p.out_of_scope : null;
  // Without out-of-scope test questions there is nothing to measure the second goal on.
  const noOutOfScope = outOfScope === 0;
  const precisionValue = percent(p?.answer_precision);
  const outOfScopeValue = noOutOfScope ? '–' : percent(p?.out_of_scope_recall);
  const threshold = p?.policy?.threshold;
  const ambiguity = p?.policy?.ambiguity;
  const ceiling = p?.policy?.out_of_scope_ceiling;
  const inScope = typeof p?.in_scope === 'number' ? p.in_scope : null;
  let summary =
    'This version was trained before hand-offs were scored: train a new model to see these figures.';
  if (available) {
    summary = 'On the held-out test questions';
    if (inScope !== null) summary += ` (${inScope} in its categories`;
    if (inScope !== null && outOfScope !== null) summary += `, ${outOfScope} outside them`;
    if (inScope !== null) summary += ')';
    summary += ', which training never saw.';
  }
  return {
    available,
    inScope,
    outOfScope,
    summary,
    rows: [
      {
        key: 'answered',
        label: 'Answered and right',
        value: percent(p?.in_scope_accuracy),
        detail:
          'of the in-scope questions: answered with the right category (hand-offs count as misses)',
        goal: null,
        met: null,
      },
      {
        key: 'precision',
        label: 'Precision of answers',
        value: precisionValue,
        detail: 'of the answers given: right',
        goal: goalText(p?.goals?.answer_precision),
        met: precisionValue === '–' ? null : flag(p?.precision_met),
      },
      {
        key: 'handoff',
        label: 'Handed off',
        value: percent(p?.handoff_rate),
        detail: 'of the in-scope questions: passed to a person',
        goal: null,
        met: null,
      },
      {
        key: 'out_of_scope',
        label: 'Out-of-scope handed off',
        value: outOfScopeValue,
        detail: noOutOfScope
          ? 'no out-of-scope questions to test with'
          : 'of the questions outside every category: passed to a person',
        goal: goalText(p?.goals?.out_of_scope_handoff),
        met: outOfScopeValue === '–' ? null : flag(p?.out_of_scope_met),
      },
      {
        key: 'policy',
        label: 'Threshold / ambiguity',
        value:
          threshold === undefined && ambiguity === undefined
            ? '–'
            : `${fixed(threshold)} / ${fixed(ambiguity)}`,
        detail:
          'answers when the top confidence reaches the threshold and leads the runner-up by the ambiguity margin',
        goal: null,
        met: null,
      },
      {
        key: 'ceiling',
        label: 'Out-of-scope ceiling',
        value: !p?.policy
          ? '–'
          : ceiling === undefined || ceiling >= 1
            ? 'none'
            : ceiling.toPrecision(2),
        detail:
          'hands off a question whose out-of-scope probability is above it, whatever category leads',
        goal: null,
        met: null,
      },
    ],
  };
}

/** One figure of the "Did you mean …?" part of the "Answering customers" card. */
export interface ClarifyRow {
  key:
    | 'clarify-asked'
    | 'clarify-recovered'
    | 'answered-with-clarify'
    | 'clarify-out-of-scope'
    | 'clarify-useful';
  label: string;
  /** the figure, "–" when the report does not have it */
  value: string;
  detail: string;
  /** the goal, as a percentage, for the figure that has one */
  goal: string | null;
}

/**
 * What "Did you mean …?" adds on the test questions: the figures when the version asks, or why it never does.
 * Null for versions trained before clarifying questions were reported.
 */
export type ClarifyView =
  { on: true; summary: string; rows: ClarifyRow[] } | { on: false; off: string };

function finite(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** "52 of 70"; "–" when either is missing. */
function ofTotal(part: number | null, total: number | null): string {
  return part === null || total === null ? '–' : `${part} of ${total}`;
}

/** The share of in-scope questions answered and right once the customers asked pick their category. */
function answeredWithClarify(
  accuracy: number | null,
  inScope: number | null,
  recovered: number | null,
): string {
  if (accuracy === null || inScope === null || recovered === null || inScope <= 0) return '–';
  return percent((Math.round(accuracy * inScope) + recovered) / inScope);
}

/** The report's "Did you mean …?" figures on the test split (`report.policy.clarification`) as display rows. */
export function clarifyView(report: ModelReport | null | undefined): ClarifyView | null {
  const p = report?.policy;
  if (!p || typeof p !== 'object') return null;
  const c = p.clarification && typeof p.clarification === 'object' ? p.clarification : null;
  const mass = finite(c?.mass) ?? finite(p.policy?.clarify_mass);
  if (mass === null) return null;
  if (mass > 1) {
    const goal = finite(p.goals?.clarify_usefulness);
    return {
      on: false,
      off:
        goal !== null && goal >= 1
          ? '“Did you mean …?” off (trained with a usefulness goal of 100%, which never asks)'
          : '“Did you mean …?” off (no choice of categories helped on validation)',
    };
  }
  if (!c) return null;
  const handedOff = finite(c.handed_off);
  const asked = finite(c.asked);
  const recovered = finite(c.recovered);
  const noOutOfScope = p.out_of_scope === 0;
  return {
    on: true,
    summary:
      `Asked instead of a hand-off when the categories offered hold ${percent(mass, 0)} of the ` +
      'probability together; counted as if each customer picks their category when it is offered.',
    rows: [
      {
        key: 'clarify-asked',
        label: 'Asked “Did you mean …?”',
        value: ofTotal(asked, handedOff),
        detail: 'of the in-scope hand-offs: asked to pick a category instead',
        goal: null,
      },
      {
        key: 'clarify-recovered',
        label: 'Offered the right category',
        value: ofTotal(recovered, asked),
        detail: 'of the questions asked: a hand-off turned into a right answer',
        goal: null,
      },
      {
        key: 'answered-with-clarify',
        label: 'Answered and right with it',
        value: answeredWithClarify(finite(p.in_scope_accuracy), finite(p.in_scope), recovered),
        detail: 'of the in-scope questions, counting the right categories picked',
        goal: null,
      },
      {
        key: 'clarify-out-of-scope',
        label: 'Out-of-scope asked',
        value: noOutOfScope
          ? '–'
          : ofTotal(finite(c.out_of_scope_asked), finite(c.out_of_scope_handed_off)),
        detail: noOutOfScope
          ? 'no out-of-scope questions to test with'
          : 'of the out-of-scope hand-offs: asked instead (a customer may still pick a category)',
        goal: null,
      },
      {
        key: 'clarify-useful',
        label: 'Useful questions',
        value: percent(finite(c.usefulness)),
        detail: 'of all the questions asked: offered the asker’s category',
        goal: goalText(finite(p.goals?.clarify_usefulness) ?? undefined),
      },
    ],
  };
}

/** One kind compared on validation. */
export interface CandidateRow {
  kind: string;
  accuracy: string;
  macroF1: string;
  answeredRight: string;
  /** "yes", "no" or "–" */
  goalsMet: string;
  /** the kind the version was trained as */
  chosen: boolean;
}

// On a tie the server keeps the cheaper kind to run.
const COST_ORDER = ['linear', 'ngram', 'ensemble', 'transformer'];

function cost(kind: string): number {
  const i = COST_ORDER.indexOf(kind);
  return i < 0 ? COST_ORDER.length : i;
}

function num(value: unknown): number {
  return typeof value === 'number' && !Number.isNaN(value) ? value : -1;
}

/**
 * The kinds compared on validation, best first the way the server chooses (goals met, then answered right, then
 * accuracy, then the cheaper kind), with the version's own kind marked as chosen.
 */
export function candidateRows(
  report: ModelReport | null | undefined,
  chosenKind: string,
): CandidateRow[] {
  const candidates = report?.candidates;
  if (!candidates || typeof candidates !== 'object' || Array.isArray(candidates)) return [];
  return Object.entries(candidates)
    .filter(([, c]) => !!c && typeof c === 'object')
    .sort(
      ([ka, a], [kb, b]) =>
        Number(b.goals_met === true) - Number(a.goals_met === true) ||
        num(b.answered_right) - num(a.answered_right) ||
        num(b.accuracy) - num(a.accuracy) ||
        cost(ka) - cost(kb) ||
        ka.localeCompare(kb),
    )
    .map(([kind, c]) => ({
      kind,
      accuracy: percent(c.accuracy),
      macroF1: percent(c.macro_f1),
      answeredRight: percent(c.answered_right),
      goalsMet: c.goals_met === true ? 'yes' : c.goals_met === false ? 'no' : '–',
      chosen: kind === chosenKind,
    }));
}

export interface ConflictNotice {
  count: number;
  examples: { text: string; labels: string }[];
  /** conflicting texts not listed */
  more: number;
}

/** Texts stored under more than one label (left out of training), with up to `max` examples; null when none. */
export function conflictNotice(
  report: ModelReport | null | undefined,
  max = 5,
): ConflictNotice | null {
  const conflicts = report?.conflicting_texts;
  const count = typeof conflicts?.count === 'number' ? conflicts.count : 0;
  if (count <= 0) return null;
  const examples = (Array.isArray(conflicts?.examples) ? conflicts.examples : [])
    .slice(0, max)
    .map((e) => ({ text: e.text, labels: (e.labels ?? []).map(humanize).join(', ') }));
  return { count, examples, more: Math.max(0, count - examples.length) };
}

/** What the training form holds; number inputs give null (or '') when empty. */
export interface TrainForm {
  kind: TrainKind;
  epochs: number | string | null;
  answerPrecision: number | string | null;
}

function filled(value: number | string | null): boolean {
  return value !== null && value !== undefined && String(value).trim() !== '';
}

/** The body of a training request from the form, or what is wrong with the form. "auto" is left to the server. */
export function trainInput(form: TrainForm): { input: TrainInput } | { error: string } {
  const input: TrainInput = {};
  if (form.kind && form.kind !== 'auto') input.kind = form.kind;
  if (filled(form.epochs)) {
    const epochs = Number(form.epochs);
    if (!Number.isInteger(epochs) || epochs < 1 || epochs > 1000)
      return { error: 'Epochs must be a whole number from 1 to 1000.' };
    input.epochs = epochs;
  }
  if (filled(form.answerPrecision)) {
    const precision = Number(form.answerPrecision);
    if (!(precision >= 0.5 && precision <= 1))
      return { error: 'The answer precision goal must be a number from 0.50 to 1.00.' };
    input.answer_precision = precision;
  }
  return { input };
}
