import { importProblem } from './import-report';

describe('importProblem', () => {
  it('reads the line and the reason from FILE:LINE: reason', () => {
    expect(importProblem('upload:3: unterminated quoted field: a quote opened here is never closed')).toEqual({
      line: 3,
      reason: 'unterminated quoted field: a quote opened here is never closed',
    });
    expect(importProblem("upload:12: empty 'text'")).toEqual({ line: 12, reason: "empty 'text'" });
  });

  it('keeps other messages whole', () => {
    expect(importProblem('the body is empty')).toEqual({ line: null, reason: 'the body is empty' });
    expect(importProblem('note: not a line number')).toEqual({ line: null, reason: 'note: not a line number' });
  });
});
