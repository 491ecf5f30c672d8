import { Hono, type Context } from 'hono';
import { refuseAuthorization, type SandboxCredentials } from './auth.ts';
import { SandboxState, defaultFaults, type SandboxApp } from './state.ts';

const error = (c: Context, status: 401 | 404 | 500 | 503, message: string) =>
  c.json({ id: status * 10, message, type: 'error' }, status);

/**
 * A local stand-in of Clever Cloud's v2 API for deploys: applications, env,
 * instances (redeploy), deployments WIP → OK | FAIL | CANCELLED with the brief
 * 404 after creation, both auth schemes, and faults a test can switch on.
 * `/__sandbox/*` is its control surface (no auth): apps, faults and call counts
 * (per app, and `/__sandbox/calls` for every request).
 */
export function createCleverSandbox(credentials: SandboxCredentials, state = new SandboxState()) {
  const app = new Hono();

  app.post('/__sandbox/apps', async (c) => {
    const body = await c.req.json<{ ownerId: string; appId: string; name?: string; commitId: string }>();
    const created = state.addApp(body.ownerId, body.appId, body.name ?? body.appId, body.commitId);
    return c.json({ id: created.id, ownerId: created.ownerId }, 201);
  });
  app.put('/__sandbox/faults', async (c) => {
    state.faults = { ...defaultFaults, ...(await c.req.json()) };
    return c.json(state.faults);
  });
  app.get('/__sandbox/calls', (c) => c.json({ calls: state.calls }));
  app.get('/__sandbox/apps/:ownerId/:appId', (c) => {
    const found = state.find(c.req.param('ownerId'), c.req.param('appId'));
    if (!found) return error(c, 404, 'no such app');
    return c.json({
      redeployCalls: found.redeployCalls,
      apiCalls: found.apiCalls,
      commitId: found.commitId,
      env: Object.fromEntries(found.env),
      deployments: found.deployments.map((d) => state.view(found, d)),
    });
  });

  const api = new Hono<{ Variables: { app: SandboxApp } }>();
  api.use('*', async (c, next) => {
    state.calls++;
    if (state.faults.latencyMs) await new Promise((r) => setTimeout(r, state.faults.latencyMs));
    const refused = refuseAuthorization(c.req.header('authorization'), c.req.method, c.req.url, credentials);
    if (refused) return error(c, 401, `Not authenticated: ${refused}`);
    const owner = c.req.param('owner') ?? 'self';
    const found = state.find(owner, c.req.param('app')!);
    if (found) found.apiCalls++;
    if (Math.random() < state.faults.errorRate) return error(c, 503, 'sandbox: injected failure');
    if (!found) return error(c, 404, 'Application not found');
    c.set('app', found);
    await next();
  });

  api.get('/', (c) => {
    const a = c.get('app');
    return c.json({
      id: a.id,
      name: a.name,
      state: 'SHOULD_BE_UP',
      commitId: a.commitId,
      instance: { minInstances: 1, maxInstances: 1, minFlavor: 'nano', maxFlavor: 'nano' },
      deployment: { type: 'GIT' },
      cancelOnPush: false,
    });
  });
  api.get('/env', (c) => c.json([...c.get('app').env].map(([name, value]) => ({ name, value }))));
  api.put('/env/:name', async (c) => {
    c.get('app').env.set(c.req.param('name'), (await c.req.json<{ value: string }>()).value);
    return c.json({ id: 200, message: 'ok', type: 'success' });
  });
  api.delete('/env/:name', (c) => {
    c.get('app').env.delete(c.req.param('name'));
    return c.json({ id: 200, message: 'ok', type: 'success' });
  });
  api.post('/instances', (c) => {
    const a = c.get('app');
    const deployment = state.redeploy(a, c.req.query('commit') ?? a.commitId);
    return c.json({
      id: 200,
      message: 'The application has been deployed',
      type: 'success',
      deploymentId: deployment.uuid,
    });
  });
  api.get('/deployments', (c) => {
    const a = c.get('app');
    const limit = Number(c.req.query('limit') ?? 10);
    return c.json(
      a.deployments
        .filter((d) => state.visible(d))
        .slice(0, limit)
        .map((d) => state.view(a, d)),
    );
  });
  api.get('/deployments/:uuid', (c) => {
    const a = c.get('app');
    const d = a.deployments.find((x) => x.uuid === c.req.param('uuid') || String(x.id) === c.req.param('uuid'));
    if (!d || !state.visible(d)) return error(c, 404, 'Deployment not found');
    return c.json(state.view(a, d));
  });
  api.delete('/deployments/:id/instances', (c) => {
    const a = c.get('app');
    const d = a.deployments.find((x) => x.uuid === c.req.param('id') || String(x.id) === c.req.param('id'));
    if (!d) return error(c, 404, 'Deployment not found');
    if (state.view(a, d).state === 'WIP') d.cancelled = true;
    return c.body(null, 204);
  });

  app.route('/v2/organisations/:owner/applications/:app', api);
  app.route('/v2/self/applications/:app', api);
  return { app, state };
}
