import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { PagedList } from '../core/lists';
import { text } from '../testing/page-testing';
import { Pager, pageInfo } from './pager';

// One expected page a line.
// prettier-ignore
describe('pageInfo', () => {
  it('describes the first, a middle and the last page', () => {
    expect(pageInfo(57, 25, 0)).toEqual({ first: 1, last: 25, page: 1, pages: 3, hasPrevious: false, hasNext: true });
    expect(pageInfo(57, 25, 25)).toMatchObject({ first: 26, last: 50, page: 2, hasPrevious: true, hasNext: true });
    expect(pageInfo(57, 25, 50)).toMatchObject({ first: 51, last: 57, page: 3, hasNext: false });
  });

  it('copes with no items', () => {
    expect(pageInfo(0, 25, 0)).toEqual({ first: 0, last: 0, page: 1, pages: 1, hasPrevious: false, hasNext: false });
  });
});

describe('Pager', () => {
  it('shows the range of the list it pages and asks for the previous and the next page', () => {
    const list: PagedList<number> = {
      items: signal([26, 27]),
      total: signal(57),
      offset: signal(25),
      loading: signal(false),
      limit: 25,
    };
    const fixture = TestBed.createComponent(Pager);
    fixture.componentRef.setInput('list', list);
    fixture.componentRef.setInput('label', 'Number pages');
    const asked: number[] = [];
    fixture.componentInstance.offsetChange.subscribe((o) => asked.push(o));
    fixture.detectChanges();
    const root: HTMLElement = fixture.nativeElement;
    expect(text(root.querySelector('nav[aria-label="Number pages"] .range'))).toBe(
      '26–50 of 57 (page 2 of 3)',
    );
    root.querySelectorAll('button').forEach((b) => b.click());
    expect(asked).toEqual([0, 50]);
  });
});
