import { createServer } from 'node:http';
import { verifyWebhook } from '../activities/webhook-signature.ts';

/**
 * A webhook receiver that does what a customer's must: checks each delivery's
 * signature, then settles the waiter for the message it carries (by content).
 */
export async function startVerifyingReceiver() {
  let secret = '';
  const waiters = new Map<string, () => void>();
  let refused = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = {
        signature: String(req.headers['x-capstan-signature']),
        timestamp: String(req.headers['x-capstan-timestamp']),
      };
      if (!verifyWebhook(secret, headers, body)) {
        refused++;
        res.writeHead(401).end();
        return;
      }
      res.writeHead(200).end('ok');
      const { content } = JSON.parse(body) as { content?: string };
      if (content) waiters.get(content)?.();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    setSecret: (s: string) => (secret = s),
    get refused() {
      return refused;
    },
    /** Settles once a verified delivery carries this content. */
    delivered(content: string, timeoutMs = 30_000): Promise<void> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(content);
          reject(new Error(`no verified delivery of ${content} in ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.set(content, () => {
          clearTimeout(timer);
          waiters.delete(content);
          resolve();
        });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
