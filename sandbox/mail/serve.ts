import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { SMTPServer } from 'smtp-server';
import { Mailbox } from './mailbox.ts';

export interface MailSandbox {
  /** For SMTP_URL. */
  smtpUrl: string;
  /** `GET /messages?to=<address>`: what arrived, newest last (set when an HTTP port was asked for). */
  httpUrl?: string;
  mailbox: Mailbox;
  close(): Promise<void>;
}

/**
 * A local SMTP relay that keeps what it receives: the stand-in for the installation's mail provider.
 * It accepts any sender and recipient without authentication, on 127.0.0.1 only.
 */
export async function startMailSandbox(options: { smtpPort?: number; httpPort?: number } = {}): Promise<MailSandbox> {
  const mailbox = new Mailbox();
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, done) {
      const to = session.envelope.rcptTo.map((r) => r.address);
      mailbox.receive(stream, to).then(
        () => done(),
        (err: Error) => done(err),
      );
    },
  });
  const smtpPort = await new Promise<number>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(options.smtpPort ?? 0, '127.0.0.1', () => resolve((smtp.server.address() as { port: number }).port));
  });
  const closeSmtp = () => new Promise<void>((done) => smtp.close(() => done()));
  if (options.httpPort === undefined) return { smtpUrl: `smtp://127.0.0.1:${smtpPort}`, mailbox, close: closeSmtp };

  const app = new Hono();
  app.get('/messages', (c) => {
    const to = c.req.query('to');
    return c.json({ messages: to ? mailbox.to(to) : mailbox.mails });
  });
  const http = await new Promise<{ url: string; close(): Promise<void> }>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: options.httpPort }, (info) =>
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise((done) => server.close(() => done())),
      }),
    );
    server.once('error', reject);
  }).catch(async (err: unknown) => {
    await closeSmtp();
    throw err;
  });
  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    httpUrl: http.url,
    mailbox,
    close: async () => {
      await Promise.all([closeSmtp(), http.close()]);
    },
  };
}
