/** One key of an audit entry's detail, as the log shows it. */
export interface DetailPair {
  key: string;
  /** the value, cut short to `max` characters */
  text: string;
  /** the whole value when `text` was cut short (the cell's tooltip), otherwise null */
  full: string | null;
}

/** How many characters of a detail value the log shows before cutting it short. */
export const DETAIL_MAX = 60;

/** A detail value as text: strings as they are, anything else (numbers, lists, objects) as JSON. */
export function detailText(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}

/** `text` cut to `max` characters (counting characters, not UTF-16 units), the last one an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
}

/**
 * An entry's detail as key: value pairs in the server's order. The API promises an object; anything else (from a
 * newer or broken server) still shows, as one pair named "value".
 */
export function detailPairs(detail: unknown, max = DETAIL_MAX): DetailPair[] {
  if (detail === null || detail === undefined) return [];
  const entries =
    typeof detail === 'object' && !Array.isArray(detail)
      ? Object.entries(detail as Record<string, unknown>)
      : [['value', detail] as [string, unknown]];
  return entries.map(([key, value]) => {
    const whole = detailText(value);
    const text = truncate(whole, max);
    return { key, text, full: text === whole ? null : whole };
  });
}

/** Epoch milliseconds → local date and time to the second (an audit log orders actions a moment apart). */
export function auditTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}
