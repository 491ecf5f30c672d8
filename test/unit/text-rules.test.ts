import { z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { apiEmail, apiText } from '../../api/text-rules.ts';

const name = apiText(z.string().trim().min(1).max(10));
const spaces = [
  '\t',
  '\n',
  '\v',
  '\f',
  '\r',
  ' ',
  '\u00a0',
  '\u1680',
  '\u2000',
  '\u200a',
  '\u2028',
  '\u3000',
  '\ufeff',
];

describe('text rules', () => {
  it('take a string exactly when it has no NUL and something left once trimmed, as the workflow reads it', () => {
    const samples = ['', 'a', ' a ', 'a b', '\u0000', 'a\u0000', ...spaces, ...spaces.map((s) => `${s}x${s}`)];
    for (const text of samples) {
      expect(name.safeParse(text).success, JSON.stringify(text)).toBe(!text.includes('\u0000') && text.trim() !== '');
    }
  });

  it('check the length first and stop there: no later rule reads a string that is too long', () => {
    for (const schema of [name, apiEmail(z.string().trim().toLowerCase().email().max(10))]) {
      const issues = schema.safeParse(`${'a'.repeat(20)}\u0000`).error?.issues;
      expect(issues?.map((i) => i.code)).toEqual(['too_big']);
    }
  });

  it('measure the length as sent, which is what the document says', () => {
    expect(name.safeParse(` ${'a'.repeat(10)}`).success).toBe(false);
    expect(name.safeParse(' Ada ').data).toBe('Ada');
  });
});
