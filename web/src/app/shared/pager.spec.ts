import { pageInfo } from './pager';

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
