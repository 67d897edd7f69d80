import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '../../domain/webhook-signature.js';

/** One request a partner server received, and whether its signature verified. */
export interface PartnerRequest {
  webhookId: string | undefined;
  verified: boolean;
  status: number;
  body: { controllerId: string; batchId: string; records: Record<string, unknown>[] };
}

/**
 * A partner's endpoint on loopback for the egress controllers' tests: it verifies each request's
 * signature as a receiver would (domain/webhook-signature.ts), answers 500 to the next `failNext`
 * requests and 200 after, and logs what it received.
 */
export class PartnerServer {
  /** The secret the controller's creation answered. */
  secret = '';
  failNext = 0;
  /** Called with each request's body before it is answered: a test's moment between two batches. */
  onRequest: ((body: PartnerRequest['body']) => Promise<void>) | undefined;
  readonly requests: PartnerRequest[] = [];
  private server: http.Server | null = null;

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/inbox`;
  }

  /** The records the partner acknowledged, in order. */
  acknowledged(): Record<string, unknown>[] {
    return this.requests.filter((r) => r.status === 200).flatMap((r) => r.body.records);
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let verified: boolean;
        try {
          verifyWebhook(this.secret, req.headers, raw);
          verified = true;
        } catch {
          verified = false;
        }
        const status = !verified ? 401 : this.failNext > 0 ? 500 : 200;
        if (status === 500) this.failNext--;
        const header = req.headers['webhook-id'];
        this.requests.push({
          webhookId: Array.isArray(header) ? header[0] : header,
          verified,
          status,
          body: JSON.parse(raw) as PartnerRequest['body'],
        });
        const hook = this.onRequest?.(JSON.parse(raw) as PartnerRequest['body']) ?? Promise.resolve();
        void hook.then(
          () => res.writeHead(status, { 'content-type': 'application/json' }).end('{}'),
          () => res.writeHead(500).end('{}'),
        );
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
