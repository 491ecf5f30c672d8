import { simpleParser } from 'mailparser';

export interface ReceivedMail {
  at: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
}

/** What the mail sandbox received, in order; readers wait for a recipient's next message. */
export class Mailbox {
  readonly mails: ReceivedMail[] = [];
  private waiters: Array<() => void> = [];

  async receive(raw: NodeJS.ReadableStream, envelopeTo: string[]): Promise<ReceivedMail> {
    const parsed = await simpleParser(raw as never);
    const mail: ReceivedMail = {
      at: new Date().toISOString(),
      from: parsed.from?.text ?? '',
      to: envelopeTo.map((a) => a.toLowerCase()),
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
    };
    this.mails.push(mail);
    for (const wake of this.waiters.splice(0)) wake();
    return mail;
  }

  to(address: string): ReceivedMail[] {
    return this.mails.filter((m) => m.to.includes(address.toLowerCase()));
  }

  /** The `nth` (0-based) mail to `address`, once it has arrived. */
  async waitFor(address: string, { nth = 0, timeoutMs = 20_000 } = {}): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const mail = this.to(address)[nth];
      if (mail) return mail;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no mail #${nth + 1} to ${address} within ${timeoutMs} ms`);
      await new Promise<void>((wake) => {
        const timer = setTimeout(wake, left);
        this.waiters.push(() => (clearTimeout(timer), wake()));
      });
    }
  }
}
