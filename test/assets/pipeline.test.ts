import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type CapstanApp } from '../../api/app.ts';
import type { AssetSettings } from '../../config/assets.ts';
import { workflows } from '../../contracts/workflows.ts';
import { createOrigin, type AssetOrigin } from '../../db/asset-origins.ts';
import type { ViteManifest } from '../../domain/assets.ts';
import { executeWorkflow } from '../../workers/start.ts';
import type { RunningWorkers } from '../../workers/run.ts';
import { assetSource, CONSOLE_ENTRY, testAssetSettings } from '../support/assets.ts';
import { until } from '../support/receiver.ts';
import { roomyRateLimits, startStackWorkers, unique, useStack } from '../support/stack.ts';

const stack = useStack({ worker: false, ownDatabase: true });
const actor = { type: 'Operator' as const, id: 'vitest' };

describe.each(['fs', 's3'] as const)('front-end assets on the %s origin', (kind) => {
  let source: Awaited<ReturnType<typeof assetSource>>;
  let assets: { settings: AssetSettings; close(): Promise<void> };
  let workers: RunningWorkers;
  let origin: AssetOrigin;
  let app: CapstanApp;
  const buildIds: Record<string, number> = {};

  beforeAll(async () => {
    source = await assetSource();
    assets = await testAssetSettings(kind, source.root);
    workers = await startStackWorkers(stack, {
      assets: assets.settings,
    });
    origin = createOrigin(assets.settings.origin);
    app = createApp({
      sql: stack.sql,
      temporal: stack.temporal,
      logger: stack.logger,
      rateLimits: roomyRateLimits,
      licence: stack.licence,
      assets: assets.settings,
      assetOrigin: origin,
    });
  });
  afterAll(async () => {
    await workers?.shutdown();
    origin?.close();
    await assets?.close();
    await source?.remove();
    // The live pointer is installation-wide: the next origin starts from nothing.
    await stack.ownerSql`truncate asset_switches, asset_live, asset_builds`;
  });

  const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
    app.request(path, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${stack.platformToken}`, 'content-type': 'application/json' },
      ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
    });
  const build = async (version: string) => {
    await source.setVersion(version);
    const result = await executeWorkflow(
      stack.temporal,
      workflows.buildAssets,
      { key: unique('build') },
      { root: source.root, entries: [CONSOLE_ENTRY], actor },
    );
    buildIds[version] = result.buildId;
    return result;
  };
  const manifestOf = async (buildId: number) =>
    (await stack.sql<{ manifest: ViteManifest }[]>`select manifest from asset_builds where id = ${buildId}`)[0]!
      .manifest;
  const filesOf = async (buildId: number) =>
    (
      await stack.sql<{ key: string }[]>`
      select f->>'key' as key from asset_builds b, jsonb_array_elements(b.files) f where b.id = ${buildId}`
    ).map((r) => r.key);
  const shellScript = async () => {
    const html = await (await app.request('/console')).text();
    return /<script type="module" crossorigin src="([^"]+)"/.exec(html)![1]!;
  };

  it('answers /console with a 503 problem before any build is live', async () => {
    const res = await app.request('/console');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await res.json()).detail).toContain('capstan assets build');
  });

  it('builds through the API, and the same sources again reuse that build without uploading', async () => {
    await source.setVersion('v1');
    const started = await api('/v1/assets/builds', { method: 'POST' });
    expect(started.status).toBe(202);
    const { links } = await started.json();
    const run = await until('the API build to finish', async () => {
      const r = await (await api(links.self)).json();
      return r.status === 'COMPLETED' ? r : undefined;
    });
    expect(run.progress).toMatchObject({ phase: 'done', files_done: run.result.files });
    const first = run.result;
    buildIds.v1 = first.buildId;
    expect(first).toMatchObject({ reused: false, uploadedFiles: first.files });
    expect(first.uploadedFiles).toBeGreaterThan(10); // js, css, maps, images, .br and .gz

    const { manifest } = await (await api('/v1/assets/manifest')).json();
    const entry = manifest[CONSOLE_ENTRY];
    expect(entry).toMatchObject({ isEntry: true, src: CONSOLE_ENTRY, dynamicImports: ['web/src/page.ts'] });
    expect(entry.file).toMatch(/^assets\/main-[A-Z2-7]{8}\.js$/);
    expect(entry.css).toEqual([expect.stringMatching(/^assets\/main-[A-Z2-7]{8}\.css$/)]);
    expect(entry.assets).toEqual(
      expect.arrayContaining([expect.stringMatching(/logo-.*\.svg$/), expect.stringMatching(/dot-.*\.png$/)]),
    );
    expect(entry.imports).toEqual([expect.stringMatching(/^_chunk-[A-Z2-7]{8}\.js$/)]);
    expect(manifest['web/src/page.ts']).toMatchObject({ isDynamicEntry: true, css: [expect.any(String)] });
    for (const key of await filesOf(first.buildId)) expect(await origin.has(key), key).toBe(true);

    const again = await build('v1');
    expect(again).toMatchObject({ buildId: first.buildId, reused: true, uploadedFiles: 0, uploadedBytes: 0 });
    const rows = await stack.sql`select id from asset_builds`;
    expect(rows).toHaveLength(1);
  });

  it('serves the live build: immutable caching, negotiated encodings, ETag and 304', async () => {
    const shell = await app.request('/console/accounts/1');
    expect(shell.status).toBe(200);
    expect(shell.headers.get('cache-control')).toBe('no-cache');
    expect(shell.headers.get('content-type')).toContain('text/html');
    const html = await shell.text();
    expect(html).toContain('<div id="app"></div>');
    expect(html).toMatch(/<link rel="stylesheet" href="\/assets\/main-[A-Z2-7]{8}\.css">/);
    const script = await shellScript();
    expect(script).toMatch(/^\/assets\/main-[A-Z2-7]{8}\.js$/);

    const plain = await app.request(script);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(plain.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toBe('Accept-Encoding');
    const body = Buffer.from(await plain.arrayBuffer());

    const br = await app.request(script, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer()))).toEqual(body);
    const gz = await app.request(script, { headers: { 'accept-encoding': 'gzip, br;q=0' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer()))).toEqual(body);
    const identity = await app.request(script, { headers: { 'accept-encoding': 'identity' } });
    expect(identity.headers.get('content-encoding')).toBeNull();

    const etag = br.headers.get('etag')!;
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(etag).not.toBe(plain.headers.get('etag'));
    const revalidated = await app.request(script, {
      headers: { 'accept-encoding': 'br', 'if-none-match': etag },
    });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe('');

    const png = (await (await api('/v1/assets/manifest')).json()).manifest[CONSOLE_ENTRY].assets.find((a: string) =>
      a.endsWith('.png'),
    );
    const image = await app.request(`/${png}`, { headers: { 'accept-encoding': 'br' } });
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('content-encoding')).toBeNull();
  });

  it('refuses unknown names with 404 and traversal with 4xx', async () => {
    expect((await app.request('/assets/main-AAAAAAAA.js')).status).toBe(404);
    for (const path of ['/assets/..%2F..%2Fetc%2Fpasswd', '/assets/.env', '/assets/a%2Fb.js', '/assets/..%5Cx.js']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(400);
    }
    // A URL parser resolves dot segments before routing: whatever it lands on, it is not a file outside the origin.
    for (const path of ['/assets/%2e%2e/%2e%2e/etc/passwd', '/assets/../../etc/passwd']) {
      const res = await app.request(path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
      expect(await res.text()).not.toContain('root:');
    }
    expect((await app.request('/assets/%E0%A4%A')).status).toBe(400);
  });

  it('writes ASSET_CDN_HOST into the shell as the public prefix', async () => {
    const cdn = createApp({
      sql: stack.sql,
      rateLimits: roomyRateLimits,
      temporal: stack.temporal,
      logger: stack.logger,
      licence: stack.licence,
      assets: { ...assets.settings, cdnHost: 'https://cdn.example.test' },
      assetOrigin: origin,
    });
    const html = await (await cdn.request('/console')).text();
    expect(html).toMatch(/src="https:\/\/cdn\.example\.test\/assets\/main-[A-Z2-7]{8}\.js"/);
  });

  it('rolls back in one step to the previous build, which is served again', async () => {
    const v1Script = await shellScript();
    const second = await build('v2');
    expect(second.reused).toBe(false);
    expect(second.buildId).not.toBe(buildIds.v1);
    const v2Script = await shellScript();
    expect(v2Script).not.toBe(v1Script);

    const res = await api('/v1/assets/rollback', { method: 'POST', body: {} });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ from_build_id: second.buildId, to_build_id: buildIds.v1, changed: true });
    expect(await shellScript()).toBe(v1Script);
    expect((await app.request(v1Script)).status).toBe(200);
    const audits = await stack.sql`
      select actor_type, subject_id from audit_log where action = 'assets.rolled_back' and subject_id = ${String(buildIds.v1)}`;
    expect(audits.length).toBeGreaterThan(0);
    const listed = await (await api('/v1/assets/builds')).json();
    expect(listed.payload.find((b: { live: boolean }) => b.live).id).toBe(buildIds.v1);
  });

  it('collects builds beyond the live one and two previous, never a file a kept manifest references', async () => {
    await build('v3');
    const latest = await build('v4'); // live: v4; previous ready: v3, v2; v1 goes
    const v1Only = (await filesOf(buildIds.v1!)).filter((k) => /main-.*\.js$/.test(k));
    expect(v1Only.length).toBeGreaterThan(0);

    const res = await api('/v1/assets/gc', { method: 'POST', body: { keep_younger_than_seconds: 0 } });
    expect(res.status).toBe(200);
    const gc = await res.json();
    expect(gc.deleted_builds).toEqual([buildIds.v1]);
    expect(gc.kept_builds.sort()).toEqual([latest.buildId, buildIds.v2, buildIds.v3].sort());
    expect(gc.deleted_files).toBeGreaterThan(0);

    for (const id of gc.kept_builds as number[]) {
      for (const key of await filesOf(id)) expect(await origin.has(key), `${key} of kept build ${id}`).toBe(true);
      const manifest = await manifestOf(id);
      for (const chunk of Object.values(manifest))
        for (const file of [chunk.file, ...(chunk.css ?? []), ...(chunk.assets ?? [])])
          expect((await app.request(`/${file}`)).status, file).toBe(200);
    }
    for (const key of v1Only) {
      expect(await origin.has(key), key).toBe(false);
      expect((await app.request(`/${key}`)).status).toBe(404);
    }
    const refused = await api('/v1/assets/rollback', { method: 'POST', body: { build_id: buildIds.v1 } });
    expect(refused.status).toBe(404);
  });
});
