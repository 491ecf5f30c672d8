import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { actorSecret } from '../../db/installation.ts';
import type { Sql } from '../../db/pool.ts';

const COOKIE = 'capstan_codec_session';
/** A working day: the operator signs in to the console again after it. */
const TTL_SECONDS = 12 * 3600;

/**
 * The codec session: what lets a browser's Temporal Web UI decode for an operator signed in to the
 * console. The console, holding a platform token, asks for it; the cookie it gets is HttpOnly (no
 * script reads it), SameSite=Strict (no other site sends it), scoped to `/codec` (the rest of the API
 * ignores it), names the platform token it came from and ends with it or after 12 hours. The Web UI
 * sends it when its codec endpoint is set to include credentials. A forged `Origin`, a port-forward or
 * another OS user has no such cookie, and nothing else opens the codec without a token.
 */
export function codecSessions(sql: Sql) {
  let key: Promise<Uint8Array> | undefined;
  const mac = async (tokenId: number, expires: number) =>
    createHmac('sha256', await (key ??= actorSecret(sql)))
      .update(`capstan codec session\0${tokenId}\0${expires}`)
      .digest('base64url');

  return {
    /** Sets the cookie for the platform token `tokenId`. */
    async open(c: Context, tokenId: number): Promise<void> {
      const expires = Math.floor(Date.now() / 1000) + TTL_SECONDS;
      setCookie(c, COOKIE, `${tokenId}.${expires}.${await mac(tokenId, expires)}`, {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/codec',
        maxAge: TTL_SECONDS,
        // Secure everywhere but a loopback host: behind a proxy that ends TLS the API itself sees http://.
        secure: !['localhost', '127.0.0.1', '[::1]'].includes(new URL(c.req.url).hostname),
      });
    },
    close(c: Context): void {
      deleteCookie(c, COOKIE, { path: '/codec' });
    },
    /** The id of the token a validly signed, unexpired cookie names; whether that token still works is the caller's. */
    async tokenOf(c: Context): Promise<number | undefined> {
      const [id, expires, given] = (getCookie(c, COOKIE) ?? '').split('.');
      const tokenId = Number(id);
      if (!Number.isSafeInteger(tokenId) || !given || !(Number(expires) > Date.now() / 1000)) return undefined;
      const expected = Buffer.from(await mac(tokenId, Number(expires)));
      const sent = Buffer.from(given);
      if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) return undefined;
      return tokenId;
    },
  };
}
