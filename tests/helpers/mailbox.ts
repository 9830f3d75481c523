import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'net';

export interface CapturedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  attachments: { filename?: string; contentType: string; content: Buffer }[];
}

/**
 * A real SMTP server on loopback that keeps every message it receives.
 * `down()` makes it refuse mail (451) to test delivery retries; `up()` restores it.
 */
export class Mailbox {
  readonly messages: CapturedMail[] = [];
  /** The SMTP logins clients made (AUTH PLAIN / LOGIN), in order. */
  readonly logins: { username: string; password: string }[] = [];
  private server: SMTPServer;
  private refusing = false;
  private waiters: (() => void)[] = [];
  port = 0;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      // a platform given SMTP_USERNAME / SMTP_PASSWORD signs in (over loopback, without TLS); the logins are kept
      allowInsecureAuth: true,
      onAuth: (auth, _session, callback) => {
        this.logins.push({ username: auth.username ?? '', password: auth.password ?? '' });
        callback(null, { user: auth.username });
      },
      disabledCommands: ['STARTTLS'],
      logger: false,
      // the platform keeps pooled connections open: on stop, end them at once instead of after 30 s
      closeTimeout: 100,
      onMailFrom: (_address, _session, callback) => {
        if (this.refusing) {
          const err = new Error('Mailbox temporarily unavailable') as Error & { responseCode: number };
          err.responseCode = 451;
          return callback(err);
        }
        callback();
      },
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            this.messages.push({
              from: mail.from?.text ?? '',
              to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
              attachments: mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
            });
            this.waiters.splice(0).forEach((w) => w());
            callback();
          })
          .catch(callback);
      },
    });
    // A client that goes away mid-session (a server process stopped while its outbox was sending)
    // resets the connection; like any SMTP server, keep serving instead of crashing the test run.
    this.server.on('error', (err: Error) => this.connectionErrors.push(err));
  }

  /** Errors of client connections (resets), kept for debugging; they never fail a test by themselves. */
  connectionErrors: Error[] = [];

  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this.port;
  }

  async stop() {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Stops listening, so connections are refused (the server is unreachable) until `reachable()`. */
  async unreachable() {
    // the listening socket only (SMTPServer.close would also end sessions later with 421)
    const closed = new Promise<void>((resolve) => this.server.server.close(() => resolve()));
    // and the connections the platform keeps open (pooled SMTP)
    for (const connection of (this.server as unknown as { connections: Set<{ close(): void }> }).connections) connection.close();
    await closed;
  }

  /** Listens again on the same port. */
  async reachable() {
    await new Promise<void>((resolve, reject) => {
      this.server.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  down() {
    this.refusing = true;
  }

  up() {
    this.refusing = false;
  }

  clear() {
    this.messages.length = 0;
  }

  to(address: string) {
    return this.messages.filter((m) => m.to.includes(address.toLowerCase()));
  }

  /** Waits until `predicate` holds over the messages received so far. */
  async waitFor(predicate: (messages: CapturedMail[]) => boolean, timeoutMs = 10000): Promise<CapturedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.messages)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`Timed out waiting for mail; received: ${JSON.stringify(this.messages.map((m) => [m.to, m.subject]))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
    return this.messages;
  }
}
