import { z } from '@hono/zod-openapi';

/** What JavaScript's trim() removes, spelled out: `\s` means other things to validators in other languages. */
const space = String.raw`\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff`;

/** PostgreSQL text cannot hold NUL. */
const noNul = new RegExp(String.raw`^[^\u0000]*$`);
/**
 * No NUL, and something left once trimmed: true of a string exactly when it is true of its trimmed self.
 * Leading space, then the first other character, then the rest: each character has one place to go, so a
 * refusal costs one pass (the old `[^\0]*[^\0\s][^\0]*` tried every split: quadratic, 18 s for 200,000 characters).
 */
const notBlank = new RegExp(String.raw`^[${space}]*[^\u0000${space}][^\u0000]*$`);

/**
 * The field with its length limit checked before anything else, and stopping validation when it fails:
 * zod 4 runs every check by default, so a megabyte string would still meet the trim and every pattern.
 * The limit applies to the string as sent, which is what the document's `maxLength` says.
 */
export function lengthFirst(field: z.ZodString): z.ZodString {
  if (field.maxLength === null) return field;
  const { def } = field._zod;
  return field.clone({ ...def, checks: [z.maxLength(field.maxLength, { abort: true }), ...(def.checks ?? [])] });
}

/**
 * Enforces `pattern`, after the length limit, and documents it as the field's one pattern (the OpenAPI
 * generator shows only a string's first regex, and the workflow's may come first).
 */
export function withPattern(field: z.ZodString, pattern: RegExp, message: string): z.ZodString {
  return lengthFirst(field).regex(pattern, message).openapi({ pattern: pattern.source });
}

/**
 * A workflow's text field as the API takes it: what the workflow trims must
 * keep a character (unless `blank`), and no NUL. The schema then states every
 * rule the request meets on its way into PostgreSQL.
 */
export function apiText(field: z.ZodString, { blank = false }: { blank?: boolean } = {}): z.ZodString {
  return blank
    ? withPattern(field, noNul, 'must not contain NUL characters')
    : withPattern(field, notBlank, 'must not be blank or contain NUL characters');
}

/**
 * A workflow's email field, documented by the pattern zod checks rather than
 * `format: email`, which some validators read with RFC 5321 limits zod does not
 * apply (a local part of at most 64 characters): the schema says exactly the rule.
 */
export function apiEmail(field: z.ZodString): z.ZodString {
  // A copy: schemas built before @hono/zod-openapi loaded (contracts/ may load first) lack `.openapi()`.
  return lengthFirst(field.clone()).openapi({
    type: 'string',
    pattern: z.regexes.email.source,
    ...(field.maxLength !== null && { maxLength: field.maxLength }),
  });
}

/** Webhook targets: http(s), and no credentials in the URL. */
export const httpUrlPattern = new RegExp(String.raw`^[Hh][Tt][Tt][Pp][Ss]?://[^/?#@\u0000]+([/?#][^\u0000]*)?$`);

/** Phone numbers as the workflow accepts them once trimmed, with no space at either end. */
export const phonePattern = /^\+?[0-9()-][0-9 ()-]{3,30}[0-9()-]$/;
