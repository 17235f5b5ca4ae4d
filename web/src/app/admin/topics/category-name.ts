/** The longest category name the server takes. */
export const CATEGORY_NAME_MAX = 100;

const NAME = /^[a-z0-9_]+$/;

/**
 * A category name made from free text (a topic's keyword), in the store's snake_case: lower case, accents dropped,
 * spaces and hyphens as "_", nothing but a–z, 0–9 and "_", at most 100 characters. '' when nothing is left.
 */
export function categoryNameFrom(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
    .replace(/[^a-z0-9_]/g, '')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '')
    .slice(0, CATEGORY_NAME_MAX)
    .replace(/_$/, '');
}

/** Why `name` is no name for a new category (1–100 of a–z, 0–9 and "_"), or '' when it is fine. */
export function categoryNameProblem(name: string): string {
  if (!name) return 'Give the category a name.';
  if (name.length > CATEGORY_NAME_MAX) return 'A category name is 100 characters at most.';
  if (!NAME.test(name))
    return 'A category name holds only lower-case letters, digits and "_", such as gift_wrapping.';
  return '';
}
