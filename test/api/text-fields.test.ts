/**
 * Every text field the API documents, attacked: a string as long as the body limit allows (or as a URL or header
 * can carry), built to make a backtracking pattern try every split, ending in a character every rule refuses.
 * Each must be refused with 422 (never 413, so validation itself is what answered), and a field with a
 * `maxLength` with one error, its length, so no later rule read it. The fields come from /openapi.json: a new
 * field is covered without editing this file. A super-linear rule would make its requests outlast the timeout.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../config/env.ts';
import { newAccount, type AccountFixture } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { useStack } from '../support/stack.ts';
import { textFields, type Schema, type TextField } from '../support/text-fields.ts';

const stack = useStack({ http: true });
const bodyLimit = loadEnv({}).API_BODY_LIMIT_BYTES;
/** Well under Node's 16 KiB limit for the request line and headers. */
const urlRoom = 4_000;
/** Runs of what patterns repeat (letters, digits, space, dotted and dashed segments, slashes, `@`). */
const units = ['a', '0', ' ', 'a.', 'a-', 'a@', 'aa.', '/'];

let account: AccountFixture;
let fields: TextField[];
beforeAll(async () => {
  account = await newAccount(stack, 'text-fields');
  // Its administrator holds a break-glass grant, so the activation route reaches its validation (not a 404).
  const [admin] = await stack.sql<{ email: string }[]>`select email from users where id = ${account.adminId}`;
  const granted = await call(stack.api.url, 'POST', '/v1/admin/promotions', {
    token: stack.platformToken,
    body: { email: admin!.email, reason: 'text fields', ttl: '1h' },
  });
  expect(granted.status, JSON.stringify(granted.body)).toBe(201);
  fields = textFields((await call(stack.api.url, 'GET', '/openapi.json')).body);
});

/** `unit` repeated to `length`, closed by a character no rule accepts where it lands (headers cannot carry NUL). */
function adversarial(field: TextField, unit: string): string {
  const length = field.in === 'body' ? bodyLimit - 1_024 : urlRoom;
  const ending = field.in === 'header' ? ' !' : '\u0000';
  const value = unit.repeat(Math.ceil(length / unit.length)).slice(0, length - ending.length) + ending;
  // NUL travels in JSON as six characters: keep the body under the limit.
  return field.in === 'body' ? value.slice(0, bodyLimit - 1_024 - 6) + ending : value;
}

/** A valid value for a path parameter the attack is not aimed at. */
function harmless(name: string, schema: Schema): string {
  if (schema.enum) return String(schema.enum[0]);
  if (name === 'id' && schema.type === 'integer') return String(account.accountId);
  if (schema.type === 'integer') return '1';
  if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
  if (schema.pattern?.includes('@')) return 'nobody@example.test';
  if (schema.pattern?.includes(':')) return 'owner:app';
  return 'a';
}

function send(field: TextField, value: string, token: string) {
  let path = field.path;
  for (const [name, schema] of Object.entries(field.pathParams)) {
    const v = field.in === 'path' && field.name[0] === name ? value : harmless(name, schema);
    path = path.replace(`{${name}}`, encodeURIComponent(v));
  }
  const query = field.in === 'query' ? `?${new URLSearchParams({ [field.name[0]!]: value })}` : '';
  const headers = field.in === 'header' ? { [field.name[0]!]: value } : {};
  // A numeric step is an array's item (`labels.0`): the value goes in an array there, not under a key "0".
  const nest = (inner: unknown, key: string) => (/^\d+$/.test(key) ? [inner] : { [key]: inner });
  const body = field.in === 'body' ? field.name.reduceRight<unknown>(nest, value) : {};
  return call(stack.api.url, field.method, path + query, {
    token,
    headers,
    ...(field.hasBody || field.in === 'body' ? { body } : {}),
  });
}

describe('every documented text field, sent an adversarial string', () => {
  it('finds the fields', () => {
    expect(fields.filter((f) => f.in === 'body').length).toBeGreaterThan(30);
    expect(fields.some((f) => f.path === '/v1/invitations/accept' && f.name.join('.') === 'name')).toBe(true);
  });

  it('refuses each with 422 naming the field; with its length alone when it has a maxLength', async () => {
    for (const field of fields) {
      const label = `${field.method} ${field.path} ${field.in}:${field.name.join('.')}`;
      for (const unit of field.schema.maxLength === undefined ? units : units.slice(0, 1)) {
        let answer = await send(field, adversarial(field, unit), stack.platformToken);
        // A route only users may call (not a platform token) is attacked with the administrator's token.
        if (answer.status === 403) answer = await send(field, adversarial(field, unit), account.adminToken);
        expect(answer.status, `${label} (${JSON.stringify(unit)})`).toBe(422);
        const mine = (answer.body.errors as { field: string; message: string }[]).filter(
          (e) => e.field === field.name.join('.'),
        );
        if (field.schema.maxLength === undefined) expect(mine.length, label).toBeGreaterThan(0);
        else expect(mine, label).toEqual([{ field: field.name.join('.'), message: expect.stringMatching(/^Too big/) }]);
      }
    }
  });
});
