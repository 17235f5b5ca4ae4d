import { Clarification } from '../core/api.types';
import { humanize } from '../shared/format';

/**
 * A "Did you mean …?" question in a line: "Asked: Order status / Refunds → chose Refunds", "→ something else" or
 * "→ no reply".
 */
export function describeClarification(c: Clarification): string {
  const asked = `Asked: ${c.options.map(humanize).join(' / ')}`;
  if (c.chosen_at === null) return `${asked} → no reply`;
  if (c.choice === null) return `${asked} → something else`;
  return `${asked} → chose ${humanize(c.choice)}`;
}
