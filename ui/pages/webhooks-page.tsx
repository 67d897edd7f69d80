import { useEffect, useRef, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api';
import { useApp } from '../app-context';
import {
  WEBHOOK_EVENTS,
  type CreatedWebhook,
  type Webhook,
  type WebhookDelivery,
  type WebhookEvent,
  type WebhookTestDelivery,
} from '../admin-types';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ErrorMessage } from '../components/error-message';
import { PageHeading } from '../components/page-heading';
import { PendingButton } from '../components/pending-button';
import { SecretReveal } from '../components/secret-reveal';
import { SettingsNav } from '../components/settings-nav';
import { formatDate } from '../format';
import type { Page } from '../types';
import { useLoad } from '../use-load';
import { RowAction } from '../components/row-action';

/**
 * The tenant's webhooks: register one (its signing secret shown once), pause or resume it, delete
 * it, send it a test, and read its recent deliveries, redelivering a failed one.
 */
export function WebhooksPage() {
  const { api, announce } = useApp();
  const hooks = useLoad((signal) => api.get<{ items: Webhook[] }>('/v1/webhooks', { signal }), []);
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  const [deleting, setDeleting] = useState<Webhook | null>(null);
  const [deleteError, setDeleteError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  if (hooks.error?.status === 403) {
    return (
      <>
        <PageHeading>Webhooks</PageHeading>
        <SettingsNav current="webhooks" />
        <p role="alert" class="error">
          This API key may not see or manage webhooks: that needs the webhooks:manage permission (the ADMIN
          and DEVELOPER roles hold it). Ask an administrator.
        </p>
      </>
    );
  }

  const remove = async () => {
    if (!deleting || busy) return;
    setBusy(true);
    try {
      await api.request('DELETE', `/v1/webhooks/${deleting.id}`);
      announce(`Webhook ${deleting.url} deleted.`);
      // Gone from the list as the dialog closes, so the dialog sees its button gone and focuses the
      // page's heading (a reload alone would drop the focus to the body after the dialog closed).
      if (hooks.data) hooks.setData({ items: hooks.data.items.filter((h) => h.id !== deleting.id) });
      setDeleting(null);
      hooks.reload();
    } catch (err) {
      setDeleteError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const setEnabled = async (hook: Webhook, enabled: boolean) => {
    setError(null);
    try {
      const res = await api.request<Webhook>('PATCH', `/v1/webhooks/${hook.id}`, { body: { enabled } });
      if (hooks.data)
        hooks.setData({ items: hooks.data.items.map((h) => (h.id === hook.id ? res.body : h)) });
      announce(`Webhook ${hook.url} ${enabled ? 'resumed' : 'paused'}.`);
    } catch (err) {
      setError(toApiError(err));
    }
  };

  const items = hooks.data?.items ?? [];
  return (
    <>
      <PageHeading>Webhooks</PageHeading>
      <SettingsNav current="webhooks" />
      <p class="hint">
        Each event a webhook takes is POSTed to its URL, signed with its secret (Standard Webhooks), and
        retried with backoff until the receiver answers 2xx.
      </p>
      <ErrorMessage error={error ?? hooks.error} />

      {created ? (
        <SecretReveal
          label={`The signing secret of ${created.url}`}
          secret={created.secret}
          warning="Copy it now into the receiver, which verifies each delivery with it: it is shown this once."
          onDone={() => setCreated(null)}
        />
      ) : (
        <NewWebhookForm
          onCreated={(h) => {
            setCreated(h);
            hooks.reload();
          }}
        />
      )}

      <h2>Registered webhooks</h2>
      {hooks.data && items.length === 0 && <p>No webhooks yet.</p>}
      <ul class="webhooks">
        {items.map((h) => (
          <li key={h.id} class="webhook">
            <h3>
              <span class="url">{h.url}</span>{' '}
              <span class={h.enabled ? 'status status-completed' : 'status status-paused'}>
                {h.enabled ? 'active' : 'paused'}
              </span>
            </h3>
            <p class="meta">
              {h.events.join(', ')}
              {h.description && ` · ${h.description}`} · since {formatDate(h.createdAt)}
            </p>
            <div class="toolbar">
              <RowAction
                label={h.enabled ? 'Pause' : 'Resume'}
                name={h.url}
                onClick={() => void setEnabled(h, !h.enabled)}
              />
              <RowAction
                label="Delete"
                name={h.url}
                onClick={() => {
                  setDeleteError(null);
                  setDeleting(h);
                }}
              />
              {/* The API refuses a test to a paused webhook (409). */}
              {h.enabled && <SendTest hook={h} />}
            </div>
            <DeliveriesDisclosure hook={h} />
          </li>
        ))}
      </ul>

      <ConfirmDialog
        open={deleting !== null}
        title="Delete this webhook?"
        confirmLabel="Delete webhook"
        busy={busy}
        error={deleteError}
        onConfirm={() => void remove()}
        onCancel={() => setDeleting(null)}
      >
        <p>
          <span class="url">{deleting?.url}</span> gets no more deliveries; its delivery log is deleted with
          it, and deliveries still queued are not sent.
        </p>
      </ConfirmDialog>
    </>
  );
}

/** How often a sent test is asked about, and for how long, before the page stops waiting. */
const TEST_POLL_MS = 500;
const TEST_WAIT_MS = 60_000;

/**
 * "Send test": POST /v1/webhooks/{id}/test, then the test delivery polled until the receiver took it
 * or the last attempt failed. The button stays focused and says "Sending…" meanwhile.
 */
function SendTest({ hook }: { hook: Webhook }) {
  const { api, announce } = useApp();
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );

  const send = async () => {
    setSending(true);
    setOutcome(null);
    setError(null);
    try {
      const res = await api.request<WebhookTestDelivery>('POST', `/v1/webhooks/${hook.id}/test`);
      let d = res.body;
      const until = Date.now() + TEST_WAIT_MS;
      while (d.status === 'PENDING' && Date.now() < until && alive.current) {
        await new Promise((resolve) => setTimeout(resolve, TEST_POLL_MS));
        d = await api.get<WebhookTestDelivery>(`/v1/webhooks/${hook.id}/test/${d.id}`);
      }
      if (!alive.current) return;
      const text = testOutcome(d);
      setOutcome(text);
      announce(`${hook.url}: ${text}`);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      if (alive.current) setSending(false);
    }
  };

  return (
    <>
      <PendingButton
        pending={sending}
        pendingLabel={
          <>
            Sending test…<span class="visually-hidden"> to {hook.url}</span>
          </>
        }
        onClick={() => void send()}
      >
        Send test<span class="visually-hidden"> to {hook.url}</span>
      </PendingButton>
      {outcome && <span class="meta test-outcome">{outcome}</span>}
      <ErrorMessage error={error} />
    </>
  );
}

/** A test delivery's outcome, in words. */
function testOutcome(d: WebhookTestDelivery): string {
  const code = d.lastStatusCode === null ? '' : ` (HTTP ${d.lastStatusCode})`;
  const tries = d.attempts === 1 ? '' : ` after ${d.attempts} attempts`;
  switch (d.status) {
    case 'SUCCEEDED':
      return `Test delivered${code}${tries}.`;
    case 'FAILED':
      return `Test failed${code}${tries}: ${d.lastError ?? 'no answer'}.`;
    case 'PENDING':
      return `Test still being retried${code}; the receiver has not taken it yet.`;
  }
}

/** Recent deliveries behind a disclosure: loaded when opened, not for every webhook at once. */
function DeliveriesDisclosure({ hook }: { hook: Webhook }) {
  const [open, setOpen] = useState(false);
  return (
    <details onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        Recent deliveries<span class="visually-hidden"> of {hook.url}</span>
      </summary>
      {open && <Deliveries hook={hook} />}
    </details>
  );
}

/** A webhook's last ten deliveries, with a redelivery for a failed one. */
function Deliveries({ hook }: { hook: Webhook }) {
  const { api, announce } = useApp();
  const [error, setError] = useState<ApiError | null>(null);
  const deliveries = useLoad(
    (signal) =>
      api.get<Page<WebhookDelivery>>(`/v1/webhooks/${hook.id}/deliveries`, { query: { limit: 10 }, signal }),
    [hook.id],
  );
  const page = deliveries.data;

  const redeliver = async (d: WebhookDelivery) => {
    setError(null);
    try {
      const res = await api.request<WebhookDelivery>(
        'POST',
        `/v1/webhooks/${hook.id}/deliveries/${d.id}/redeliver`,
      );
      if (page) deliveries.setData({ ...page, items: page.items.map((x) => (x.id === d.id ? res.body : x)) });
      announce(`Delivery of ${d.event} queued again.`);
    } catch (err) {
      setError(toApiError(err));
    }
  };

  return (
    <div class="deliveries">
      <ErrorMessage error={error ?? deliveries.error} />
      {page?.items.length === 0 && (
        <p>No deliveries yet: none of its events has happened since it was made.</p>
      )}
      {page && page.items.length > 0 && (
        <table class="stack" aria-busy={deliveries.loading}>
          <caption class="visually-hidden">Deliveries to {hook.url}, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last answer</th>
              <th scope="col">When</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((d) => (
              <tr key={d.id}>
                <th scope="row">{d.event}</th>
                <td data-label="Status">
                  <span class={`status status-${d.status.toLowerCase()}`}>{d.status.toLowerCase()}</span>
                </td>
                <td data-label="Attempts">{d.attempts}</td>
                <td data-label="Last answer">
                  {/* The error names the status when there is one ("answered 503"). */}
                  {d.lastError ?? d.lastStatusCode ?? '—'}
                  {d.lastDurationMs !== null && ` (${Math.round(d.lastDurationMs)} ms)`}
                </td>
                <td data-label="When">{formatDate(d.lastAttemptAt ?? d.createdAt)}</td>
                <td class="actions">
                  {d.status === 'FAILED' && (
                    <button type="button" onClick={() => void redeliver(d)}>
                      Redeliver<span class="visually-hidden"> {d.event}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" onClick={deliveries.reload}>
        Refresh<span class="visually-hidden"> deliveries of {hook.url}</span>
      </button>
    </div>
  );
}

function NewWebhookForm({ onCreated }: { onCreated: (hook: CreatedWebhook) => void }) {
  const { api, announce } = useApp();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>(['asset.created', 'asset.enriched']);
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const res = await api.request<CreatedWebhook>('POST', '/v1/webhooks', {
        body: { url: url.trim(), events, ...(description.trim() ? { description: description.trim() } : {}) },
      });
      announce('Webhook registered. Copy its signing secret now.');
      setUrl('');
      setDescription('');
      onCreated(res.body);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="admin-form"
      aria-labelledby="new-webhook-title"
      onSubmit={(e) => {
        e.preventDefault();
        if (events.length === 0) {
          setError(toApiError(new Error('Choose at least one event for the webhook to receive.')));
          return;
        }
        void submit();
      }}
    >
      <h2 id="new-webhook-title">New webhook</h2>
      <label for="webhook-url">URL</label>
      <input
        id="webhook-url"
        type="url"
        required
        maxLength={2000}
        placeholder="https://cms.example.com/hooks/media"
        value={url}
        onInput={(e) => setUrl(e.currentTarget.value)}
      />
      <fieldset>
        <legend>Events</legend>
        {WEBHOOK_EVENTS.map((ev) => (
          <label key={ev} class="check">
            <input
              type="checkbox"
              checked={events.includes(ev)}
              onChange={(e) =>
                setEvents(e.currentTarget.checked ? [...events, ev] : events.filter((x) => x !== ev))
              }
            />{' '}
            {ev}
          </label>
        ))}
      </fieldset>
      <label for="webhook-description">Description (optional)</label>
      <input
        id="webhook-description"
        maxLength={500}
        value={description}
        onInput={(e) => setDescription(e.currentTarget.value)}
      />
      <div>
        <button type="submit" aria-busy={busy}>
          Register webhook
        </button>
      </div>
      <ErrorMessage error={error} />
    </form>
  );
}
