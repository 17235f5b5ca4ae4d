import { TestBed } from '@angular/core/testing';
import { Entity } from '../core/api.types';
import { text } from '../testing/page-testing';
import { EntityChips, entityChips } from './entity-chips';

const entities: Entity[] = [
  { kind: 'order_number', text: 'SD-482913', value: 'SD-482913' },
  { kind: 'email', text: 'Ann@Example.com', value: 'ann@example.com' },
  { kind: 'money', text: '£75', value: '75.00 GBP' },
  { kind: 'date', text: 'yesterday', value: '2026-12-05' },
  { kind: 'size', text: 'size 44', value: '44' },
];

describe('entityChips', () => {
  it('labels each kind and shows the normalized value', () => {
    expect(entityChips(entities).map((c) => `${c.label} ${c.value}`)).toEqual([
      'Order SD-482913',
      'Email ann@example.com',
      'Amount 75.00 GBP',
      'Date 2026-12-05',
      'Size 44',
    ]);
    expect(entityChips(entities)[2]).toMatchObject({ kind: 'money', written: '£75' });
  });

  it('names a kind it does not know, and falls back to the text without a value', () => {
    expect(
      entityChips([{ kind: 'loyalty_card', text: 'LC 123', value: '' }]).map(
        (c) => `${c.label} ${c.value}`,
      ),
    ).toEqual(['Loyalty card LC 123']);
  });

  it('shows the same value once and leaves out what cannot be shown', () => {
    const odd = [
      entities[0],
      { kind: 'order_number', text: 'sd 482913', value: 'SD-482913' },
      { kind: '', text: 'x', value: 'x' },
      { kind: 'email', text: '', value: '' },
      null,
    ] as unknown as Entity[];
    expect(entityChips(odd).map((c) => c.value)).toEqual(['SD-482913']);
  });

  it('is empty for older data', () => {
    expect(entityChips(undefined)).toEqual([]);
    expect(entityChips(null)).toEqual([]);
    expect(entityChips({} as unknown as Entity[])).toEqual([]);
  });
});

describe('EntityChips', () => {
  function render(value: Entity[] | null | undefined): HTMLElement {
    const fixture = TestBed.createComponent(EntityChips);
    fixture.componentRef.setInput('entities', value);
    fixture.detectChanges();
    return fixture.nativeElement;
  }

  it('renders one labelled chip per entity, with what the customer wrote as its title', () => {
    const root = render(entities);
    const list = root.querySelector('ul.entity-chips')!;
    expect(list.getAttribute('aria-label')).toBe('Details in the question');
    const chips = Array.from(list.querySelectorAll('li.chip'));
    expect(chips.map(text)).toEqual([
      'Order SD-482913',
      'Email ann@example.com',
      'Amount 75.00 GBP',
      'Date 2026-12-05',
      'Size 44',
    ]);
    expect(chips.map((c) => c.getAttribute('data-kind'))).toEqual([
      'order_number',
      'email',
      'money',
      'date',
      'size',
    ]);
    expect(text(chips[0].querySelector('.chip-value'))).toBe('SD-482913');
    expect(chips[0].getAttribute('title')).toBeNull();
    expect(chips[2].getAttribute('title')).toBe('Written as “£75”');
  });

  it('renders nothing without entities', () => {
    for (const none of [[], null, undefined]) {
      expect(render(none).querySelector('ul')).toBeNull();
      TestBed.resetTestingModule();
    }
  });
});
