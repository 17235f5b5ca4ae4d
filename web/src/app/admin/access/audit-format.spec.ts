import { auditTime, detailPairs, detailText, truncate } from './audit-format';

describe('audit detail', () => {
  it('shows each key with its value: strings as they are, the rest as JSON', () => {
    expect(
      detailPairs({
        response_changed: true,
        name: 'refunds',
        count: 3,
        reassign_to: null,
        labels: ['a', 'b'],
        policy: { threshold: 0.5 },
      }),
    ).toEqual([
      { key: 'response_changed', text: 'true', full: null },
      { key: 'name', text: 'refunds', full: null },
      { key: 'count', text: '3', full: null },
      { key: 'reassign_to', text: 'null', full: null },
      { key: 'labels', text: '["a","b"]', full: null },
      { key: 'policy', text: '{"threshold":0.5}', full: null },
    ]);
  });

  it('cuts long values short and keeps the whole text for the tooltip', () => {
    const long = 'x'.repeat(61);
    const [pair] = detailPairs({ response: long });
    expect(pair.text).toBe('x'.repeat(59) + '…');
    expect(Array.from(pair.text).length).toBe(60);
    expect(pair.full).toBe(long);
    expect(detailPairs({ response: 'x'.repeat(60) })[0].full).toBeNull();
    const nested = detailPairs({ ids: Array.from({ length: 30 }, (_, i) => i) }, 20)[0];
    expect(nested.text).toBe('[0,1,2,3,4,5,6,7,8,…');
    expect(JSON.parse(nested.full!)).toHaveLength(30);
  });

  it('shows nothing for an empty detail, and something for one that is not an object', () => {
    expect(detailPairs({})).toEqual([]);
    expect(detailPairs(null)).toEqual([]);
    expect(detailPairs('erased')).toEqual([{ key: 'value', text: 'erased', full: null }]);
    expect(detailPairs([1, 2])).toEqual([{ key: 'value', text: '[1,2]', full: null }]);
  });

  it('counts characters, not UTF-16 units, when cutting', () => {
    expect(truncate('😀😀😀😀', 3)).toBe('😀😀…');
    expect(truncate('abc', 3)).toBe('abc');
    expect(detailText(undefined)).toBe('undefined');
  });

  it('gives the time to the second in local time', () => {
    const ms = new Date(2026, 11, 6, 14, 5, 9).getTime();
    expect(auditTime(ms)).toMatch(/2026/);
    expect(auditTime(ms)).toMatch(/05:09/);
  });
});
