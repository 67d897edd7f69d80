import { useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api';
import { useApp } from '../app-context';
import {
  ROLE_PERMISSIONS,
  ROLES,
  type ApiKey,
  type CreatedApiKey,
  type Permission,
  type Role,
} from '../admin-types';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ErrorMessage } from '../components/error-message';
import { PageHeading } from '../components/page-heading';
import { SecretReveal } from '../components/secret-reveal';
import { SettingsNav } from '../components/settings-nav';
import { formatDate } from '../format';
import { useLoad } from '../use-load';
import { RowAction } from '../components/row-action';

const label = (role: Role) => role.toLowerCase().replace('_', ' ');

/** What a key holds that another lacks: a key never makes or revokes a key beyond itself. */
const beyond = (wanted: readonly Permission[], held: readonly Permission[] | undefined) =>
  held ? wanted.filter((p) => !held.includes(p)) : [];

/**
 * The tenant's API keys: who may call, with what. Never shows a secret but once, at creation.
 * Offers only what the signed-in key may do (GET /v1/me says who it is and what it holds); the server
 * decides, and its refusals (a stronger key, the last ADMIN key) are shown as it words them.
 */
export function ApiKeysPage() {
  const { api, announce, me } = useApp();
  const keys = useLoad((signal) => api.get<{ items: ApiKey[] }>('/v1/api-keys', { signal }), []);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [revokeError, setRevokeError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const items = keys.data?.items ?? [];
  const own = me.key ? { id: me.key.keyId, scopes: me.key.permissions } : undefined;
  const active = items.filter((k) => k.status === 'ACTIVE');
  const revoked = items.filter((k) => k.status === 'REVOKED');

  const revoke = async () => {
    if (!revoking || busy) return;
    setBusy(true);
    try {
      await api.request('DELETE', `/v1/api-keys/${revoking.id}`);
      announce(`Key “${revoking.name}” revoked.`);
      setRevoking(null);
      keys.reload();
    } catch (err) {
      setRevokeError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  if (keys.error?.status === 403) {
    return (
      <>
        <PageHeading>API keys</PageHeading>
        <SettingsNav current="keys" />
        <p role="alert" class="error">
          This API key may not see or manage keys: that needs the keys:manage permission (the ADMIN and
          DEVELOPER roles hold it). Ask an administrator.
        </p>
      </>
    );
  }

  // What to offer depends on what this key holds: wait for GET /v1/me (if it fails, offer all, the API decides).
  if (!me.key && !me.error) {
    return (
      <>
        <PageHeading>API keys</PageHeading>
        <SettingsNav current="keys" />
        <p class="loading" aria-busy="true">
          <span class="spinner" aria-hidden="true" />
          Loading…
        </p>
      </>
    );
  }

  return (
    <>
      <PageHeading>API keys</PageHeading>
      <SettingsNav current="keys" />
      <p class="hint">
        Keys are bearer secrets: whoever holds one acts as it. A key can make and revoke only keys that hold
        no more than itself. The tenant’s last ADMIN key can be revoked only with the operator’s CLI (
        <code>npm run keys -- revoke</code>).
      </p>
      <ErrorMessage error={keys.error} />

      {created ? (
        <SecretReveal
          label={`The secret of “${created.name}”`}
          secret={created.secret}
          warning="Copy it now and keep it somewhere safe: it is shown this once and cannot be shown again. Only its hash is stored."
          onDone={() => setCreated(null)}
        />
      ) : (
        <NewKeyForm
          held={own?.scopes}
          onCreated={(k) => {
            setCreated(k);
            keys.reload();
          }}
        />
      )}

      <h2 id="active-keys">Active keys</h2>
      {keys.data && active.length === 0 && <p>No active keys.</p>}
      {active.length > 0 && (
        <table class="stack keys" aria-labelledby="active-keys" aria-busy={keys.loading}>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role and permissions</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {active.map((k) => {
              const stronger = beyond(k.scopes, own?.scopes);
              return (
                <tr key={k.id}>
                  <th scope="row">
                    {k.name} <span class="id">{k.prefix}…</span>
                    {k.id === own?.id && <span class="badge"> (this key)</span>}
                  </th>
                  <td data-label="Role">
                    {label(k.role)}
                    <span class="permissions"> {k.scopes.join(', ')}</span>
                  </td>
                  <td data-label="Created">{formatDate(k.createdAt)}</td>
                  <td data-label="Last used">{k.lastUsedAt ? formatDate(k.lastUsedAt) : 'never'}</td>
                  <td class="actions">
                    {stronger.length > 0 ? (
                      <span class="hint">
                        Holds more than this key ({stronger.join(', ')}): cannot revoke
                      </span>
                    ) : (
                      <RowAction
                        label="Revoke"
                        name={k.name}
                        onClick={() => {
                          setRevokeError(null);
                          setRevoking(k);
                        }}
                      />
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}

      {revoked.length > 0 && (
        <details>
          <summary>Revoked keys ({revoked.length})</summary>
          <ul>
            {revoked.map((k) => (
              <li key={k.id}>
                {k.name} <span class="id">{k.prefix}…</span> ({label(k.role)}), revoked{' '}
                {k.revokedAt ? formatDate(k.revokedAt) : ''}
              </li>
            ))}
          </ul>
        </details>
      )}

      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke “${revoking?.name ?? ''}”?`}
        confirmLabel="Revoke key"
        busy={busy}
        error={revokeError}
        onConfirm={() => void revoke()}
        onCancel={() => {
          setRevoking(null);
          if (revokeError) keys.reload();
        }}
      >
        <p>Requests with this key will be refused from the next one on. This cannot be undone.</p>
        {revoking?.id === own?.id && (
          <p class="warning">You are signed in with this key: revoking it signs you out.</p>
        )}
      </ConfirmDialog>
    </>
  );
}

function NewKeyForm(props: { held: Permission[] | undefined; onCreated: (key: CreatedApiKey) => void }) {
  const { api, announce } = useApp();
  const { held } = props;
  // Only the roles this key can grant in full; narrowed scopes of a bigger role are the server's to judge.
  const roles = ROLES.filter((r) => beyond(ROLE_PERMISSIONS[r], held).length === 0);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [scopes, setScopes] = useState<Permission[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const chosen: Role = role || (roles.includes('VIEWER') ? 'VIEWER' : (roles[0] ?? 'VIEWER'));
  const offered = ROLE_PERMISSIONS[chosen];

  const submit = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const narrowed = scopes.filter((p) => offered.includes(p));
      const res = await api.request<CreatedApiKey>('POST', '/v1/api-keys', {
        body: { name: name.trim(), role: chosen, ...(narrowed.length > 0 ? { scopes: narrowed } : {}) },
      });
      announce(`Key “${res.body.name}” created. Copy its secret now.`);
      setName('');
      setScopes([]);
      props.onCreated(res.body);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="admin-form"
      aria-labelledby="new-key-title"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id="new-key-title">New key</h2>
      <label for="key-name">Name</label>
      <input
        id="key-name"
        required
        maxLength={100}
        placeholder="What it is for, e.g. CMS sync"
        value={name}
        onInput={(e) => setName(e.currentTarget.value)}
      />
      <label for="key-role">Role</label>
      <select id="key-role" value={chosen} onChange={(e) => setRole(e.currentTarget.value as Role)}>
        {roles.map((r) => (
          <option key={r} value={r}>
            {label(r)}
          </option>
        ))}
      </select>
      <fieldset>
        <legend>Narrow to these permissions (none checked: all of the role’s)</legend>
        {offered.map((p) => (
          <label key={p} class="check">
            <input
              type="checkbox"
              checked={scopes.includes(p)}
              onChange={(e) =>
                setScopes(e.currentTarget.checked ? [...scopes, p] : scopes.filter((s) => s !== p))
              }
            />{' '}
            {p}
          </label>
        ))}
      </fieldset>
      <div>
        <button type="submit" aria-busy={busy}>
          Create key
        </button>
      </div>
      <ErrorMessage error={error} />
    </form>
  );
}
