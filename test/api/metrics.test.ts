import { breakerPolicies } from '../../config/catalogue.ts';
import { retentionTargetNames } from '../../db/retention.ts';
import { recordFailure } from '../../db/breakers.ts';
import { activePromotionCount } from '../../db/promotions.ts';
import { apiMetrics } from '../../api/metrics/index.ts';
import { serveApi } from '../../api/serve.ts';
import { describe, expect, it } from 'vitest';
import { newAccount } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { unique, useStack } from '../support/stack.ts';

// Its own database: the breaker and grant gauges count rows other files would add to.
const stack = useStack({ http: true, ownDatabase: true });

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/y;
const numberText = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?Inf|NaN)$/;

/** A strict parser of the Prometheus text format 0.0.4: it throws on any line it does not understand. */
function parsePrometheus(text: string): { types: Map<string, string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const comment = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
    if (comment) {
      const [, kind = '', name = '', rest = ''] = comment;
      if (!metricName.test(name)) throw new Error(`bad metric name: ${line}`);
      if (kind === 'TYPE') {
        if (!/^(counter|gauge|histogram|summary|untyped)$/.test(rest)) throw new Error(`bad type: ${line}`);
        types.set(name, rest);
      }
      continue;
    }
    const [, name = '', body = '', value = ''] = sampleLine.exec(line) ?? [];
    if (!name || !numberText.test(value)) throw new Error(`not a sample: ${line}`);
    const labels: Record<string, string> = {};
    labelPair.lastIndex = 0;
    while (labelPair.lastIndex < body.length) {
      const [, key, text] = labelPair.exec(body) ?? [];
      if (key === undefined || text === undefined) throw new Error(`bad labels: ${line}`);
      labels[key] = text;
    }
    const family = name.replace(/_(bucket|sum|count)$/, '');
    if (!types.has(name) && !types.has(family)) throw new Error(`sample without TYPE: ${line}`);
    samples.push({ name, labels, value: Number(value) });
  }
  return { types, samples };
}

/** A scrape of the API's metrics port. */
const scrape = async (url = stack.metrics.url) => parsePrometheus((await call(url, 'GET', '/metrics')).body as string);

describe('GET /metrics', () => {
  it('answers Prometheus text with requests by route template and the business gauges', async () => {
    const account = await newAccount(stack, 'metrics');
    for (let i = 0; i < 3; i++) {
      expect((await account.api('GET', `/v1/accounts/${account.accountId}/inboxes`)).status).toBe(200);
    }
    expect((await call(stack.api.url, 'GET', '/v1/accounts/1/inboxes')).status).toBe(401);

    const res = await call(stack.metrics.url, 'GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const { types, samples } = parsePrometheus(res.body as string);

    expect(types.get('http_requests_total')).toBe('counter');
    expect(types.get('http_request_duration_seconds')).toBe('histogram');
    const requests = samples.filter((s) => s.name === 'http_requests_total');
    expect(requests).toContainEqual({
      name: 'http_requests_total',
      labels: { method: 'GET', route: '/v1/accounts/:id/inboxes', status: '200' },
      value: 3,
    });
    expect(requests.find((s) => s.labels.route === '/v1/accounts' && s.labels.method === 'POST')?.value).toBe(1);
    expect(
      requests.every((s) => !/\/\d/.test(s.labels.route ?? '')),
      'no raw ids in route labels',
    ).toBe(true);
    expect(
      samples.some(
        (s) => s.name === 'http_request_duration_seconds_count' && s.labels.route === '/v1/accounts/:id/inboxes',
      ),
    ).toBe(true);

    const values = (name: string, label: string): Record<string, number> =>
      Object.fromEntries(samples.filter((s) => s.name === name).map((s) => [s.labels[label], s.value]));
    expect(Object.keys(values('capstan_webhook_deliveries', 'status')).sort()).toEqual(
      ['dead', 'delivered', 'pending', 'skipped'].sort(),
    );
    expect(Object.keys(values('capstan_deploys', 'outcome'))).toEqual(
      expect.arrayContaining(['running', 'OK', 'FAIL', 'CANCELLED', 'TIMED_OUT']),
    );
    const licence = values('capstan_licence_status', 'status');
    expect(
      Object.values(licence).reduce((a, b) => a + b, 0),
      'exactly one current status',
    ).toBe(1);
    expect(licence.COMMUNITY).toBe(1);
    expect(values('capstan_db_connections', 'state').active).toBeGreaterThanOrEqual(1);
    expect(samples.find((s) => s.name === 'capstan_db_pool_max')?.value).toBe(10);
  });

  it("carries the operators' figures: breakers by kind and state, open dead letters, attempts, break-glass grants", async () => {
    const openWebhookBreakers = async () =>
      (await scrape()).samples.find(
        (s) => s.name === 'capstan_breakers' && s.labels.kind === 'webhook' && s.labels.state === 'open',
      )?.value;
    const before = await openWebhookBreakers();
    const breaker = unique('webhook:metrics.test');
    for (let i = 0; i < breakerPolicies.webhook.failureThreshold; i++)
      await recordFailure(stack.sql, breaker, 'metrics-test', 'connection refused', breakerPolicies.webhook);
    expect(await openWebhookBreakers()).toBe(before! + 1);

    const account = await newAccount(stack, 'metrics-grant');
    const email = (await stack.sql`select email from users where id = ${account.adminId}`)[0]!.email as string;
    const promoted = await call(stack.api.url, 'POST', '/v1/admin/promotions', {
      token: stack.platformToken,
      body: { email, reason: 'metrics test', ttl: '1h' },
    });
    expect(promoted.status, JSON.stringify(promoted.body)).toBe(201);

    const { types, samples } = await scrape();
    for (const name of [
      'capstan_breakers',
      'capstan_breaker_calls_refused',
      'capstan_dead_letters_open',
      'capstan_webhook_attempts',
      'capstan_deploy_duration_seconds_count',
      'capstan_asset_build_phase_seconds',
      'capstan_break_glass_grants_active',
    ])
      expect(types.get(name), name).toBe('gauge');
    // Rows the retention schedules removed: a counter per table, every table present from the start.
    expect(types.get('capstan_retention_rows_deleted_total')).toBe('counter');
    const pruned = samples.filter((s) => s.name === 'capstan_retention_rows_deleted_total');
    expect(pruned.map((s) => s.labels.target).sort()).toEqual([...retentionTargetNames].sort());
    // Bounded labels: breakers by kind, never a tenant's host.
    const breakerSamples = samples.filter((s) => s.name.startsWith('capstan_breaker'));
    expect(new Set(breakerSamples.map((s) => s.labels.kind))).toEqual(
      new Set(['clever-cloud', 'licensing', 'webhook']),
    );
    expect(breakerSamples.every((s) => s.labels.name === undefined)).toBe(true);
    const grants = samples.find((s) => s.name === 'capstan_break_glass_grants_active')?.value;
    expect(grants).toBe(await activePromotionCount(stack.sql));
    expect(grants).toBeGreaterThanOrEqual(1);
  });

  it('reads the database once for scrapes closer together than its freshness', async () => {
    const metrics = apiMetrics({ sql: stack.sql, licence: stack.licence, logger: stack.logger, freshForMs: 3_600_000 });
    const served = await serveApi(metrics.app, '127.0.0.1', 0);
    // Only the one line: a registry this young reports its event-loop lag as `Nan`, which the strict parser refuses.
    const open = async (url: string) =>
      Number(
        /^capstan_breakers\{kind="webhook",state="open"\} (\d+)$/m.exec(
          (await call(url, 'GET', '/metrics')).body as string,
        )?.[1],
      );
    try {
      const first = await open(served.url);
      expect(first).toBe(await open(stack.metrics.url));
      const breaker = unique('webhook:metrics.cache');
      for (let i = 0; i < breakerPolicies.webhook.failureThreshold; i++)
        await recordFailure(stack.sql, breaker, 'metrics-test', 'connection refused', breakerPolicies.webhook);
      expect(await open(stack.metrics.url)).toBe(first + 1);
      expect(await open(served.url), 'the second scrape queried nothing').toBe(first);
    } finally {
      await served.close();
    }
  });

  it('is served on its own port only: the API answers 404, and the OpenAPI document leaves it out', async () => {
    expect((await call(stack.api.url, 'GET', '/metrics')).status).toBe(404);
    expect((await call(stack.metrics.url, 'GET', '/metrics')).status).toBe(200);
    const doc = (await call(stack.api.url, 'GET', '/openapi.json')).body as { paths: Record<string, unknown> };
    expect(doc.paths['/metrics']).toBeUndefined();
  });
});
