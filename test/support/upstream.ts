import { createServer } from 'node:http';

export type UpstreamBehaviour = 'redirect' | 'huge' | 'huge-declared' | 'ok';

/**
 * An upstream on loopback that misbehaves on demand: redirects elsewhere (and
 * counts who followed), or answers far more than anyone should read (and
 * counts how much it managed to send before the client hung up).
 */
export async function startUpstream() {
  const state = { behaviour: 'ok' as UpstreamBehaviour, followed: 0, sent: 0, requests: 0 };
  const server = createServer((req, res) => {
    if (req.url === '/elsewhere') {
      state.followed++;
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"active"}');
    }
    state.requests++;
    req.resume();
    if (state.behaviour === 'redirect')
      return void res.writeHead(302, { location: `http://127.0.0.1:${port}/elsewhere` }).end();
    if (state.behaviour === 'ok')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"active","id":"app_1"}');
    const total = 64 * 1024 * 1024;
    const headers = {
      'content-type': 'application/json',
      ...(state.behaviour === 'huge-declared' ? { 'content-length': String(total) } : {}),
    };
    res.writeHead(200, headers);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (state.sent < total && !res.destroyed) {
        state.sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    res.write('{"status":"active","padding":"');
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
