import { describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { createLogger } from '../../config/logger.ts';
import type { Sql } from '../../db/pool.ts';
import type { Client } from '@temporalio/client';

// Generating the document touches neither PostgreSQL nor Temporal.
const app = createApp({ sql: {} as Sql, temporal: {} as Client, logger: createLogger({ level: 'silent' }) });
const doc = (await (await app.request('/openapi.json')).json()) as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>> }> };
};

interface Operation {
  operationId: string;
  parameters?: { in: string; name: string; schema: Record<string, unknown> }[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, unknown>; links?: Record<string, { operationId: string }> }>;
}

const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({ label: `${method.toUpperCase()} ${path}`, path, op })),
);

describe('/openapi.json', () => {
  it('documents 401, 403 and 503 on every operation, 422 wherever it takes input, and 400, 413, 415 wherever it takes a body', () => {
    expect(operations.length).toBeGreaterThan(30);
    for (const { label, op } of operations) {
      const statuses = Object.keys(op.responses);
      const expected = ['401', '403', '503'];
      if (op.parameters?.length || op.requestBody) expected.push('422');
      if (op.requestBody) expected.push('400', '413', '415');
      expect(statuses, label).toEqual(expect.arrayContaining(expected));
    }
  });

  it('documents 404 on every account-scoped operation, and 402 where the licence gates', () => {
    for (const { label, path, op } of operations.filter((o) => o.path.startsWith('/v1/accounts/{id}'))) {
      expect(Object.keys(op.responses), label).toContain('404');
      if (path.endsWith('/audit_log')) expect(Object.keys(op.responses), label).toContain('402');
    }
  });

  it('gives every error answer the problem+json schema', () => {
    for (const { label, op } of operations) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) >= 400)
          expect(Object.keys(response.content ?? {}), `${label} ${status}`).toEqual(['application/problem+json']);
      }
    }
  });

  it('bounds every id parameter at 2^53 - 1, and names every operation', () => {
    for (const { label, op } of operations) {
      expect(op.operationId, label).toMatch(/^[a-z][A-Za-z]+$/);
      for (const p of (op.parameters ?? []).filter((p) => p.schema.type === 'integer' && p.in === 'path')) {
        expect(Number(p.schema.maximum), `${label} ${p.name}`).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
      }
    }
  });

  it('types every id parameter as the integer the route accepts, so no client sends a fraction it refuses', () => {
    const idParams = operations.flatMap(({ label, op }) =>
      (op.parameters ?? []).filter((p) => /(^id$|_id$|Id$)/.test(p.name)).map((p) => ({ label, p })),
    );
    expect(idParams.length).toBeGreaterThan(20);
    for (const { label, p } of idParams) {
      const types = [p.schema, ...((p.schema.anyOf as Record<string, unknown>[] | undefined) ?? [])].map((s) => s.type);
      expect(types, `${label} ${p.in} ${p.name}`).not.toContain('number');
    }
  });

  it('links only to operations that exist', () => {
    const ids = new Set(operations.map((o) => o.op.operationId));
    const links = operations.flatMap(({ op }) =>
      Object.values(op.responses).flatMap((r) => Object.values(r.links ?? {})),
    );
    expect(links.length).toBeGreaterThan(10);
    for (const link of links) expect(ids, link.operationId).toContain(link.operationId);
  });

  it('states the rules the workflows enforce: email length, one contact key, no NUL', () => {
    const { schemas } = doc.components;
    expect(schemas.AddMemberRequest!.properties.email).toMatchObject({ maxLength: 320, pattern: expect.any(String) });
    expect(schemas.InboundMessage!.properties.contact!.anyOf).toEqual([
      { required: ['identifier'] },
      { required: ['email'] },
      { required: ['phone_number'] },
    ]);
    expect(new RegExp(schemas.InboundMessage!.properties.content!.pattern as string).test('a\u0000b')).toBe(false);
    // A token is made for the caller: `user_id` may only name themselves, so it is not required.
    expect(schemas.CreateAccessTokenRequest).toMatchObject({ required: ['name'] });
  });
});
