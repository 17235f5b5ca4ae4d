import { ModelComparison } from '../../core/api.types';

// For the specs (never imported by the app): a comparison as the server sends it.

/** 312 reviewed questions, 84.0% → 88.1%; 41 of 5,000 recent answers change; hand-offs 19% → 15%. */
export const comparisonFixture = (over: Partial<ModelComparison> = {}): ModelComparison => ({
  active: 'linear-1',
  candidate: 'linear-2',
  labelled: 312,
  active_accuracy: 0.84,
  candidate_accuracy: 0.881,
  traffic: 5000,
  changed: 41,
  active_handoff_rate: 0.19,
  candidate_handoff_rate: 0.15,
  newly_right: [],
  newly_wrong: [],
  ...over,
});
