/**
 * The local Temporal Web UI, in Chromium with web security on, shows a deploy's input decoded for an operator
 * signed in to the console (the codec session the console opens), and for no one else: the same page without
 * that session has its decode refused. The Web UI is the dev server's own, pointed at the API's codec as
 * `capstan up` points it; its Data Encoder is set to include cross-origin credentials, as the README says.
 */
import { chromium as playwright, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { serveApi, type RunningApi } from '../../api/serve.ts';
import { freePort } from '../../cli/local/free-port.ts';
import { startTemporalDevServer, type DevServer } from '../../cli/local/temporal-server.ts';
import { connectClient } from '../../workers/connect.ts';
import { chromiumExecutable, secureChromiumArgs } from '../support/browser.ts';
import { roomyRateLimits, unique, useStack } from '../support/stack.ts';

const stack = useStack({ worker: false });
let temporal: DevServer;
let api: RunningApi;
let browser: Browser;
let workflowPath: string;
const appId = unique('web-ui-app');
/** In the input only (not in the workflow id the page also shows): seen only when decoded. */
const marker = unique('decoded-release-note');

beforeAll(async () => {
  const apiPort = await freePort();
  const codecUrl = `http://127.0.0.1:${apiPort}/codec`;
  temporal = await startTemporalDevServer({ uiPort: await freePort(), uiCodecEndpoint: codecUrl });
  const codecServer = { codec: stack.access.codec, allowedOrigins: [temporal.uiUrl!] };
  api = await serveApi(
    createApp({
      sql: stack.sql,
      temporal: stack.temporal,
      logger: stack.logger,
      codecServer,
      rateLimits: roomyRateLimits,
    }),
    '127.0.0.1',
    apiPort,
  );
  // A deploy as the API starts it, its input sealed by the payload codec; no worker needs to take it.
  const client = await connectClient({ ...stack.access, address: temporal.address, namespace: 'default' });
  const handle = await client.workflow.start('deployApplication', {
    taskQueue: 'web-ui-decodes',
    workflowId: `deploy:orga_web_ui:${appId}`,
    args: [{ ownerId: 'orga_web_ui', appId, commit: 'abcd1234', env: { RELEASE_NOTE: marker } }],
  });
  workflowPath = `/namespaces/default/workflows/${encodeURIComponent(handle.workflowId)}/${handle.firstExecutionRunId}/history`;
  await client.connection.close();
  browser = await playwright.launch({
    executablePath: await chromiumExecutable(),
    headless: true,
    args: secureChromiumArgs(),
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await temporal?.stop();
});

/** A browser profile whose Web UI Data Encoder points at the codec with credentials, as an operator sets it once. */
async function profile(): Promise<BrowserContext> {
  const context = await browser.newContext();
  await context.addInitScript(
    ([endpoint]) => {
      localStorage.setItem('endpoint', JSON.stringify(endpoint));
      localStorage.setItem('includeCredentials', 'true');
      localStorage.setItem('overrideRemoteCodecConfiguration', 'true');
    },
    [`${api.url}/codec`],
  );
  return context;
}

describe('the local Web UI', () => {
  it("shows a deploy's input decoded to an operator signed in to the console", async () => {
    const context = await profile();
    const page = await context.newPage();
    // What the console does on sign-in with a platform token: open the codec session, same origin as the API.
    await page.goto(`${api.url}/healthz`);
    const opened = await page.evaluate(
      (token) =>
        fetch('/codec/session', { method: 'POST', headers: { authorization: `Bearer ${token}` } }).then(
          (r) => r.status,
        ),
      stack.platformToken,
    );
    expect(opened).toBe(204);

    const decoded = page.waitForResponse((r) => r.url().endsWith('/codec/decode') && r.request().method() === 'POST');
    await page.goto(`${temporal.uiUrl}${workflowPath}`);
    expect((await decoded).status()).toBe(200);
    await page.getByText(marker).first().waitFor();
    await context.close();
  });

  it('refuses the same page without that session', async () => {
    const context = await profile();
    const page = await context.newPage();
    const decode = page.waitForResponse((r) => r.url().endsWith('/codec/decode') && r.request().method() === 'POST');
    await page.goto(`${temporal.uiUrl}${workflowPath}`);
    expect((await decode).status()).toBe(401);
    expect(await page.content()).not.toContain(marker);
    await context.close();
  });
});
