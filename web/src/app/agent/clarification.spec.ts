import { describeClarification } from './clarification';

describe('describeClarification', () => {
  const options = ['order_status', 'refunds'];

  it('names the options offered and the choice', () => {
    expect(describeClarification({ options, choice: 'refunds', chosen_at: 5 })).toBe(
      'Asked: Order status / Refunds → chose Refunds',
    );
  });

  it('tells "Something else" from no reply at all', () => {
    expect(describeClarification({ options, choice: null, chosen_at: 5 })).toBe(
      'Asked: Order status / Refunds → something else',
    );
    expect(describeClarification({ options, choice: null, chosen_at: null })).toBe(
      'Asked: Order status / Refunds → no reply',
    );
  });
});
