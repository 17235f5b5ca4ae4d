import { TestBed } from '@angular/core/testing';
import { Clarify } from '../core/api.types';
import { text } from '../testing/page-testing';
import { ClarifyState } from './chat-history';
import { ClarifyChoices } from './clarify-choices';

const clarify: Clarify = {
  question: 'Did you mean one of these?',
  options: [
    { category: 'order_status', title: 'Order status' },
    { category: 'refunds', title: 'Refunds' },
    { category: 'returns', title: 'Returns' },
  ],
};

describe('ClarifyChoices', () => {
  function create(state?: ClarifyState) {
    TestBed.configureTestingModule({ imports: [ClarifyChoices] });
    const fixture = TestBed.createComponent(ClarifyChoices);
    fixture.componentRef.setInput('clarify', clarify);
    if (state) fixture.componentRef.setInput('state', state);
    fixture.detectChanges();
    const picked: (string | null)[] = [];
    fixture.componentInstance.choose.subscribe((c) => picked.push(c));
    const root: HTMLElement = fixture.nativeElement;
    const buttons = Array.from(root.querySelectorAll<HTMLButtonElement>('button'));
    return { root, buttons, picked };
  }

  it('offers each category and "Something else" as buttons of one group named by the question', () => {
    const { root, buttons, picked } = create();
    const group = root.querySelector('[role="group"]')!;
    expect(text(root.querySelector('#' + group.getAttribute('aria-labelledby')))).toBe(
      clarify.question,
    );
    expect(buttons.map(text)).toEqual(['Order status', 'Refunds', 'Returns', 'Something else']);
    buttons[2].click();
    buttons[3].click();
    expect(picked).toEqual(['returns', null]);
  });

  it('takes no choice unless open, and says what was chosen', () => {
    const { root, buttons, picked } = create({ status: 'chosen', choice: 'refunds' });
    expect(buttons.every((b) => b.disabled)).toBe(true);
    expect(buttons.filter((b) => b.classList.contains('chosen')).map(text)).toEqual(['Refunds']);
    expect(text(root.querySelector('.chosen-note'))).toBe('You chose: Refunds');
    buttons[0].click();
    expect(picked).toEqual([]);
  });

  it('shows why the last try failed', () => {
    const { root, buttons } = create({ status: 'closed', error: 'the choice was already made' });
    expect(text(root.querySelector('[role="alert"]'))).toBe('the choice was already made');
    expect(buttons.every((b) => b.disabled)).toBe(true);
  });
});
