import { WEBHOOK_TEST_EVENT, type DeliveryEventType, type WebhookEventType } from '../domain/webhooks.js';
import type { Sql } from './db.js';
import { previousWhileValid } from './signing-secrets-repository.js';

/** A webhook as its tenant may see it: everything but the signing secret. */
export interface Webhook {
  id: string;
  tenantId: string;
  url: string;
  events: WebhookEventType[];
  description: string;
  enabled: boolean;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export type DeliveryStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED';

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  eventType: DeliveryEventType;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  redeliveries: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastResponse: string | null;
  lastDurationMs: number | null;
  createdAt: Date;
  lastAttemptAt: Date | null;
  completedAt: Date | null;
}

/** What the delivery worker needs: the delivery, and its webhook's URL, secrets and state. */
export interface DeliveryToSend {
  id: string;
  tenantId: string;
  /** Whose secrets these are: a sealed secret opens for its webhook only. */
  webhookId: string;
  status: DeliveryStatus;
  body: string;
  url: string;
  /** Sealed (domain/secret-box.ts), as every secret this repository reads or writes. */
  secret: string;
  /** The secret a rotation replaced, while its grace period lasts; else null. */
  previousSecret: string | null;
  enabled: boolean;
}

export interface NewDelivery {
  tenantId: string;
  id: string;
  webhookId: string;
  eventId: number;
  eventType: DeliveryEventType;
  body: string;
}

interface WebhookRow {
  tenant_id: string;
  id: string;
  url: string;
  events: WebhookEventType[];
  description: string;
  enabled: boolean;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

interface DeliveryRow {
  id: string;
  webhook_id: string;
  event_type: DeliveryEventType;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  redeliveries: number;
  last_status_code: number | null;
  last_error: string | null;
  last_response: string | null;
  last_duration_ms: number | null;
  created_at: Date;
  last_attempt_at: Date | null;
  completed_at: Date | null;
}

// The secret is in none of these: only deliveryToSend and insert touch it (and a rotation,
// store/signing-secrets-repository.ts).
const WEBHOOK_COLUMNS =
  'tenant_id, id, url, events, description, enabled, created_by, created_at, updated_at';
const DELIVERY_COLUMNS = `id, webhook_id, event_type, body, status, attempts, redeliveries, last_status_code,
  last_error, last_response, last_duration_ms, created_at, last_attempt_at, completed_at`;

const toWebhook = (r: WebhookRow): Webhook => ({
  id: r.id,
  tenantId: r.tenant_id,
  url: r.url,
  events: r.events,
  description: r.description,
  enabled: r.enabled,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

const date = (d: Date | null) => (d ? new Date(d) : null);

const toDelivery = (r: DeliveryRow): WebhookDelivery => ({
  id: r.id,
  webhookId: r.webhook_id,
  eventType: r.event_type,
  body: r.body,
  status: r.status,
  attempts: r.attempts,
  redeliveries: r.redeliveries,
  lastStatusCode: r.last_status_code,
  lastError: r.last_error,
  lastResponse: r.last_response,
  lastDurationMs: r.last_duration_ms,
  createdAt: new Date(r.created_at),
  lastAttemptAt: date(r.last_attempt_at),
  completedAt: date(r.completed_at),
});

export const webhooksRepository = {
  async insert(
    sql: Sql,
    w: {
      tenantId: string;
      id: string;
      url: string;
      events: WebhookEventType[];
      description: string;
      enabled: boolean;
      secret: string;
      createdBy: string;
    },
  ): Promise<Webhook> {
    const rows = await sql.query<WebhookRow>(
      `INSERT INTO webhooks (tenant_id, id, url, events, description, enabled, secret, created_by)
       VALUES ($1, $2, $3, $4::text[], $5, $6, $7, $8) RETURNING ${WEBHOOK_COLUMNS}`,
      [w.tenantId, w.id, w.url, w.events, w.description, w.enabled, w.secret, w.createdBy],
    );
    return toWebhook(rows[0]!);
  },

  async count(sql: Sql, tenantId: string): Promise<number> {
    const [row] = await sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM webhooks WHERE tenant_id = $1',
      [tenantId],
    );
    return row?.n ?? 0;
  },

  async list(sql: Sql, tenantId: string, limit: number): Promise<Webhook[]> {
    const rows = await sql.query<WebhookRow>(
      `SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE tenant_id = $1 ORDER BY created_at DESC, id LIMIT $2`,
      [tenantId, limit],
    );
    return rows.map(toWebhook);
  },

  async get(
    sql: Sql,
    tenantId: string,
    id: string,
    opts: { forUpdate?: boolean } = {},
  ): Promise<Webhook | null> {
    const rows = await sql.query<WebhookRow>(
      `SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE tenant_id = $1 AND id = $2${opts.forUpdate ? ' FOR UPDATE' : ''}`,
      [tenantId, id],
    );
    return rows[0] ? toWebhook(rows[0]) : null;
  },

  async update(
    sql: Sql,
    tenantId: string,
    id: string,
    patch: { url: string; events: WebhookEventType[]; description: string; enabled: boolean },
  ): Promise<Webhook | null> {
    const rows = await sql.query<WebhookRow>(
      `UPDATE webhooks SET url = $3, events = $4::text[], description = $5, enabled = $6, updated_at = now()
       WHERE tenant_id = $1 AND id = $2 RETURNING ${WEBHOOK_COLUMNS}`,
      [tenantId, id, patch.url, patch.events, patch.description, patch.enabled],
    );
    return rows[0] ? toWebhook(rows[0]) : null;
  },

  /** Deletes the webhook and its deliveries; false when the tenant has no such webhook. */
  async remove(sql: Sql, tenantId: string, id: string): Promise<boolean> {
    const rows = await sql.query('DELETE FROM webhooks WHERE tenant_id = $1 AND id = $2 RETURNING id', [
      tenantId,
      id,
    ]);
    return rows.length > 0;
  },

  /**
   * The enabled webhooks of these tenants that take any of these events; for the fan-out, which
   * serves every tenant (each webhook still carries its tenant).
   */
  async subscribers(
    sql: Sql,
    tenantIds: string[],
    events: WebhookEventType[],
  ): Promise<{ tenantId: string; id: string; events: WebhookEventType[] }[]> {
    const rows = await sql.query<{ tenant_id: string; id: string; events: WebhookEventType[] }>(
      `SELECT tenant_id, id, events FROM webhooks
       WHERE tenant_id = ANY($1::text[]) AND enabled AND events && $2::text[]`,
      [tenantIds, events],
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, id: r.id, events: r.events }));
  },

  /** Inserts deliveries (a repeated event and webhook inserts nothing) and returns those inserted. */
  async insertDeliveries(sql: Sql, deliveries: NewDelivery[]): Promise<{ tenantId: string; id: string }[]> {
    if (deliveries.length === 0) return [];
    const rows = await sql.query<{ tenant_id: string; id: string }>(
      `INSERT INTO webhook_deliveries (tenant_id, id, webhook_id, event_id, event_type, body)
       SELECT x.tenant_id, x.id, x.webhook_id, x.event_id, x.event_type, x.body
       FROM jsonb_to_recordset($1::jsonb)
         AS x(tenant_id text, id uuid, webhook_id uuid, event_id bigint, event_type text, body text)
       ON CONFLICT (tenant_id, webhook_id, event_id, event_type) DO NOTHING
       RETURNING tenant_id, id`,
      [
        JSON.stringify(
          deliveries.map((d) => ({
            tenant_id: d.tenantId,
            id: d.id,
            webhook_id: d.webhookId,
            event_id: d.eventId,
            event_type: d.eventType,
            body: d.body,
          })),
        ),
      ],
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, id: r.id }));
  },

  /** Deliveries still to be sent (PENDING), of every tenant, oldest first. */
  async pendingDeliveries(sql: Sql): Promise<{ tenantId: string; id: string }[]> {
    const rows = await sql.query<{ tenant_id: string; id: string }>(
      `SELECT tenant_id, id FROM webhook_deliveries WHERE status = 'PENDING' ORDER BY created_at`,
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, id: r.id }));
  },

  async deliveryToSend(sql: Sql, tenantId: string, id: string): Promise<DeliveryToSend | null> {
    const rows = await sql.query<{
      id: string;
      tenant_id: string;
      webhook_id: string;
      status: DeliveryStatus;
      body: string;
      url: string;
      secret: string;
      previous_secret: string | null;
      enabled: boolean;
    }>(
      `SELECT d.id, d.tenant_id, d.webhook_id, d.status, d.body, w.url, w.secret, w.enabled,
         ${previousWhileValid('w')} AS previous_secret
       FROM webhook_deliveries d JOIN webhooks w ON w.tenant_id = d.tenant_id AND w.id = d.webhook_id
       WHERE d.tenant_id = $1 AND d.id = $2`,
      [tenantId, id],
    );
    const r = rows[0];
    return r
      ? {
          id: r.id,
          tenantId: r.tenant_id,
          webhookId: r.webhook_id,
          status: r.status,
          body: r.body,
          url: r.url,
          secret: r.secret,
          previousSecret: r.previous_secret,
          enabled: r.enabled,
        }
      : null;
  },

  /** Records one attempt; a SUCCEEDED or FAILED status completes the delivery. */
  async recordAttempt(
    sql: Sql,
    tenantId: string,
    id: string,
    attempt: {
      status: DeliveryStatus;
      statusCode: number | null;
      error: string | null;
      response: string | null;
      durationMs: number;
      at: Date;
    },
  ): Promise<void> {
    await sql.query(
      `UPDATE webhook_deliveries SET status = $3, attempts = attempts + 1, last_status_code = $4,
         last_error = $5, last_response = $6, last_duration_ms = $7, last_attempt_at = $8,
         completed_at = CASE WHEN $3 = 'PENDING' THEN NULL ELSE now() END
       WHERE tenant_id = $1 AND id = $2`,
      [
        tenantId,
        id,
        attempt.status,
        attempt.statusCode,
        attempt.error,
        attempt.response,
        attempt.durationMs,
        attempt.at.toISOString(),
      ],
    );
  },

  /** Ends a delivery without an attempt (its webhook was disabled meanwhile). */
  async abandon(sql: Sql, tenantId: string, id: string, error: string): Promise<void> {
    await sql.query(
      `UPDATE webhook_deliveries SET status = 'FAILED', last_error = $3, completed_at = now()
       WHERE tenant_id = $1 AND id = $2 AND status = 'PENDING'`,
      [tenantId, id, error],
    );
  },

  /** A delivery of an event, or with `test` a test delivery: each kind is answered by its own routes. */
  async getDelivery(
    sql: Sql,
    tenantId: string,
    webhookId: string,
    id: string,
    test = false,
  ): Promise<WebhookDelivery | null> {
    const rows = await sql.query<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries
       WHERE tenant_id = $1 AND webhook_id = $2 AND id = $3 AND (event_type = $4) = $5`,
      [tenantId, webhookId, id, WEBHOOK_TEST_EVENT, test],
    );
    return rows[0] ? toDelivery(rows[0]) : null;
  },

  /** Sends a delivery again: back to PENDING, one more redelivery. */
  async requeue(sql: Sql, tenantId: string, webhookId: string, id: string): Promise<WebhookDelivery | null> {
    const rows = await sql.query<DeliveryRow>(
      `UPDATE webhook_deliveries SET status = 'PENDING', redeliveries = redeliveries + 1, completed_at = NULL
       WHERE tenant_id = $1 AND webhook_id = $2 AND id = $3 RETURNING ${DELIVERY_COLUMNS}`,
      [tenantId, webhookId, id],
    );
    return rows[0] ? toDelivery(rows[0]) : null;
  },

  /** A webhook's deliveries, newest first, keyset-paged on (created_at, id). */
  async listDeliveries(
    sql: Sql,
    tenantId: string,
    webhookId: string,
    opts: {
      limit: number;
      status?: DeliveryStatus | undefined;
      after?: { createdAt: string; id: string } | undefined;
    },
  ): Promise<WebhookDelivery[]> {
    const params: unknown[] = [tenantId, webhookId, opts.limit];
    // Events only: test deliveries are read through the test route (the event enum stays as released).
    const where = ['tenant_id = $1', 'webhook_id = $2', `event_type <> '${WEBHOOK_TEST_EVENT}'`];
    if (opts.status) {
      params.push(opts.status);
      where.push(`status = $${params.length}`);
    }
    if (opts.after) {
      params.push(opts.after.createdAt, opts.after.id);
      where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    const rows = await sql.query<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE ${where.join(' AND ')}
       ORDER BY created_at DESC, id DESC LIMIT $3`,
      params,
    );
    return rows.map(toDelivery);
  },

  /** Deliveries are kept for a while for the tenant to look at, then pruned. */
  async pruneDeliveries(sql: Sql, olderThanDays: number): Promise<void> {
    await sql.query(
      `DELETE FROM webhook_deliveries
       WHERE created_at < now() - make_interval(days => $1) AND status <> 'PENDING'`,
      [olderThanDays],
    );
  },
};

export type WebhooksRepository = typeof webhooksRepository;
