import { describe, expect, it } from 'vitest';
import { readToken } from '../../api/auth/index.ts';
import { displayPrefix, hashToken, issueToken } from '../../db/tokens.ts';

const headers = (h: Record<string, string>) => ({ header: (name: string) => h[name.toLowerCase()] });

describe('tokens', () => {
  it('issues distinct tokens whose hash is the SHA-256 of the plaintext', () => {
    const a = issueToken();
    const b = issueToken();
    expect(a.plaintext).not.toBe(b.plaintext);
    expect(a.sha256).toBe(hashToken(a.plaintext));
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(a.plaintext.startsWith(a.prefix)).toBe(true);
    expect(a.prefix).toBe(displayPrefix(a.plaintext));
    expect(a.prefix.length).toBeLessThan(a.plaintext.length / 2);
  });

  it('reads Bearer and Chatwoot api_access_token headers', () => {
    expect(readToken(headers({ authorization: 'Bearer abc' }))).toBe('abc');
    expect(readToken(headers({ authorization: 'bearer  abc ' }))).toBe('abc');
    expect(readToken(headers({ api_access_token: 'xyz' }))).toBe('xyz');
    expect(readToken(headers({ authorization: 'Basic dXNlcg==' }))).toBeUndefined();
    expect(readToken(headers({}))).toBeUndefined();
    expect(readToken(headers({ authorization: 'Bearer abc', api_access_token: 'abc' }))).toBe('abc');
  });

  it('refuses two different credentials on one request instead of picking one', () => {
    expect(() => readToken(headers({ authorization: 'Bearer abc', api_access_token: 'xyz' }))).toThrow(/one token/);
    expect(() => readToken(headers({ authorization: 'Basic dXNlcg==', api_access_token: 'xyz' }))).toThrow(/one token/);
  });
});
