import { describe, expect, it } from 'vitest';
import { applicationApi } from '../fixtures/chatwoot/application-api.ts';
import { conformance, shapeProblems } from '../support/chatwoot-shapes.ts';

describe('the Chatwoot shape check', () => {
  const props = {
    id: 'integer',
    email: 'string?',
    meta: { object: { count: 'number' } },
    tags: { array: { n: 'string' } },
  } as const;
  const good = { id: 1, email: null, meta: { count: 2.5 }, tags: [{ n: 'a' }] };

  it('passes an answer that has every property with its type, null only where Chatwoot sends null', () => {
    expect(shapeProblems(good, props, 'body')).toEqual([]);
  });

  it('names a missing property, a wrong type, a null where none is allowed, and an empty list', () => {
    expect(shapeProblems({ ...good, id: undefined }, props, 'body')).toEqual([
      'body.id: expected integer, got undefined',
    ]);
    expect(shapeProblems({ email: 'a' }, { email: 'string' }, 'b')).toEqual([]);
    expect(shapeProblems({ ...good, id: 1.5 }, props, 'body')).toEqual(['body.id: expected integer, got number']);
    expect(shapeProblems({ ...good, meta: null }, props, 'body')).toEqual(['body.meta: expected an object, got null']);
    expect(shapeProblems({ ...good, tags: [] }, props, 'body')).toEqual(['body.tags: expected a non-empty array']);
    const { id: _, ...noId } = good;
    expect(shapeProblems(noId, props, 'body')).toEqual(['body.id: missing']);
  });

  it('holds deliberate differences to what they say: absent means absent, null means null', () => {
    expect(shapeProblems({ ...good, id: 3 }, props, 'b', { id: 'absent' })).toEqual([
      'b.id: must be absent (a deliberate difference)',
    ]);
    expect(shapeProblems({ ...good, id: 3 }, props, 'b', { id: 'null' })).toEqual([
      'b.id: must be null (a deliberate difference)',
    ]);
  });

  it('checks the status, and a list answer item by item where the operation says it sits', () => {
    const op = applicationApi['list-all-webhooks'];
    const hook = { id: 1, name: null, url: 'https://x.test', subscriptions: [], account_id: 2 };
    expect(conformance(op, { status: 200, body: { payload: { webhooks: [hook] } } })).toEqual([]);
    expect(conformance(op, { status: 201, body: {} })[0]).toMatch(/^status 201, expected 200/);
    expect(conformance(op, { status: 200, body: { payload: { webhooks: [] } } })).toEqual([
      'body.payload.webhooks: expected a non-empty list',
    ]);
    expect(conformance(op, { status: 200, body: [hook] })).toEqual([
      'body.payload.webhooks: expected a non-empty list',
    ]);
  });
});
