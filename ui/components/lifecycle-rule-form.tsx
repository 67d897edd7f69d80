import { useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api';
import { useApp } from '../app-context';
import type { LifecycleRule } from '../admin-types';
import { typeLabel } from '../format';
import { ErrorMessage } from './error-message';
import { PendingButton } from './pending-button';

const TYPES = ['VIDEO', 'IMAGE', 'AUDIO', 'TEXT'] as const;
const days = (v: string) => (v.trim() === '' ? null : Number(v));

/**
 * Adds a lifecycle rule, or edits one (`rule`): its name, which assets (type, source system), when
 * to archive and delete, its priority and whether it is active. The API checks it; its refusal shows here.
 */
export function LifecycleRuleForm(props: {
  rule: LifecycleRule | null;
  onSaved: (rule: LifecycleRule) => void;
  onCancel?: () => void;
}) {
  const { api, announce } = useApp();
  const r = props.rule;
  const [name, setName] = useState(r?.name ?? '');
  const [type, setType] = useState<string>(r?.type ?? '');
  const [source, setSource] = useState(r?.sourceSystem ?? '');
  const [archive, setArchive] = useState(r?.archiveAfterDays?.toString() ?? '');
  const [remove, setRemove] = useState(r?.deleteAfterDays?.toString() ?? '');
  const [priority, setPriority] = useState(r?.priority.toString() ?? '0');
  const [active, setActive] = useState(r?.active ?? true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const id = r ? `rule-${r.id}` : 'new-rule';

  const submit = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    const body = {
      name: name.trim(),
      type: type || null,
      sourceSystem: source.trim() || null,
      archiveAfterDays: days(archive),
      deleteAfterDays: days(remove),
      priority: Number(priority || 0),
      active,
    };
    try {
      const res = r
        ? await api.request<LifecycleRule>('PATCH', `/v1/lifecycle-rules/${r.id}`, { body })
        : await api.request<LifecycleRule>('POST', '/v1/lifecycle-rules', { body });
      announce(`Lifecycle rule “${res.body.name}” ${r ? 'saved' : 'added'}.`);
      if (!r) [setName, setSource, setArchive, setRemove].forEach((set) => set(''));
      props.onSaved(res.body);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="admin-form"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id={`${id}-title`}>{r ? `Edit “${r.name}”` : 'New rule'}</h2>
      <label for={`${id}-name`}>Name</label>
      <input
        id={`${id}-name`}
        required
        maxLength={100}
        value={name}
        onInput={(e) => setName(e.currentTarget.value)}
      />
      <label for={`${id}-type`}>Asset type</label>
      <select id={`${id}-type`} value={type} onChange={(e) => setType(e.currentTarget.value)}>
        <option value="">Any type</option>
        {TYPES.map((t) => (
          <option key={t} value={t}>
            {typeLabel(t)}
          </option>
        ))}
      </select>
      <label for={`${id}-source`}>Source system (empty: any)</label>
      <input
        id={`${id}-source`}
        maxLength={100}
        value={source}
        onInput={(e) => setSource(e.currentTarget.value)}
      />
      <label for={`${id}-archive`}>Archive after (days since created; empty: never)</label>
      <input
        id={`${id}-archive`}
        type="number"
        min={1}
        inputMode="numeric"
        value={archive}
        onInput={(e) => setArchive(e.currentTarget.value)}
      />
      <label for={`${id}-delete`}>Delete after (days since created; empty: never)</label>
      <input
        id={`${id}-delete`}
        type="number"
        min={1}
        inputMode="numeric"
        value={remove}
        onInput={(e) => setRemove(e.currentTarget.value)}
      />
      <label for={`${id}-priority`}>Priority (the highest matching rule decides)</label>
      <input
        id={`${id}-priority`}
        type="number"
        min={-1000}
        max={1000}
        value={priority}
        onInput={(e) => setPriority(e.currentTarget.value)}
      />
      <label class="check">
        <input type="checkbox" checked={active} onChange={(e) => setActive(e.currentTarget.checked)} /> Active
      </label>
      <div class="toolbar">
        <PendingButton type="submit" pending={busy} pendingLabel="Saving…" onClick={() => undefined}>
          {r ? 'Save rule' : 'Add rule'}
        </PendingButton>
        {props.onCancel && (
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        )}
      </div>
      <ErrorMessage error={error} />
    </form>
  );
}
