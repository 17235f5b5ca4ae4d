import { CATEGORY_NAME_MAX, categoryNameFrom, categoryNameProblem } from './category-name';

describe('categoryNameFrom', () => {
  it('makes snake_case of a keyword', () => {
    expect(categoryNameFrom('gift card')).toBe('gift_card');
    expect(categoryNameFrom('Gift  Wrapping')).toBe('gift_wrapping');
    expect(categoryNameFrom('  e-gift card ')).toBe('e_gift_card');
    expect(categoryNameFrom('wrap')).toBe('wrap');
    expect(categoryNameFrom('size_10')).toBe('size_10');
  });

  it('keeps only a–z, 0–9 and "_", dropping accents and punctuation', () => {
    expect(categoryNameFrom('Café crème')).toBe('cafe_creme');
    expect(categoryNameFrom("what's £5?")).toBe('whats_5');
    expect(categoryNameFrom('__a _ b__')).toBe('a_b');
    expect(categoryNameFrom('配送')).toBe('');
    expect(categoryNameFrom('')).toBe('');
  });

  it('cuts the name to 100 characters, with no "_" at the end', () => {
    expect(categoryNameFrom('a'.repeat(150))).toBe('a'.repeat(CATEGORY_NAME_MAX));
    expect(categoryNameFrom('a'.repeat(99) + ' bc')).toBe('a'.repeat(99));
  });
});

describe('categoryNameProblem', () => {
  it('takes 1 to 100 lower-case letters, digits and "_"', () => {
    expect(categoryNameProblem('gift_wrapping')).toBe('');
    expect(categoryNameProblem('a'.repeat(100))).toBe('');
    expect(categoryNameProblem('')).toBe('Give the category a name.');
    expect(categoryNameProblem('a'.repeat(101))).toBe('A category name is 100 characters at most.');
    for (const bad of ['Gift', 'gift wrapping', 'gift-wrapping', 'a/b'])
      expect(categoryNameProblem(bad)).toMatch(/only lower-case letters, digits and "_"/);
  });
});
