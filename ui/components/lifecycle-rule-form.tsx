import { useState } from 'preact/hooks';
import { useApp } from '../app-context';
import type { LifecycleRule } from '../admin-types';
import { typeLabel } from '../format';
import { Field } from './field';
import { FieldForm, useFieldForm } from './field-form';

const TYPES = ['VIDEO', 'IMAGE', 'AUDIO', 'TEXT'] as const;
const KNOWN = ['name', 'type', 'sourceSystem', 'archiveAfterDays', 'deleteAfterDays', 'priority'];
const days = (v: string) => (v.trim() === '' ? null : Number(v));

/**
 * Adds a lifecycle rule, or edits one (`rule`): its name, which assets (type, source system), when
 * to archive and delete, its priority and whether it is active. The API checks it; its refusal shows
 * beside the fields it names.
 */
export function LifecycleRuleForm(props: {
  rule: LifecycleRule | null;
  onSaved: (rule: LifecycleRule) => void;
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
  const form = useFieldForm(KNOWN);
  const id = r ? `rule-${r.id}` : 'new-rule';
  const err = form.byField;

  const save = async () => {
    const body = {
      name: name.trim(),
      type: type || null,
      sourceSystem: source.trim() || null,
      archiveAfterDays: days(archive),
      deleteAfterDays: days(remove),
      priority: Number(priority || 0),
      active,
    };
    const res = r
      ? await api.request<LifecycleRule>('PATCH', `/v1/lifecycle-rules/${r.id}`, { body })
      : await api.request<LifecycleRule>('POST', '/v1/lifecycle-rules', { body });
    announce(`Lifecycle rule “${res.body.name}” ${r ? 'saved' : 'added'}.`);
    if (!r) [setName, setSource, setArchive, setRemove].forEach((set) => set(''));
    props.onSaved(res.body);
  };

  const number = (field: string, label: string, value: string, set: (v: string) => void, hint?: string) => (
    <Field id={`${id}-${field}`} label={label} hint={hint} error={err[field]}>
      {(a11y) => (
        <input
          {...a11y}
          type="number"
          inputMode="numeric"
          value={value}
          onInput={(e) => set(e.currentTarget.value)}
        />
      )}
    </Field>
  );

  return (
    <FieldForm
      id={id}
      title={r ? `Edit “${r.name}”` : 'New rule'}
      state={form}
      submitLabel={r ? 'Save rule' : 'Add rule'}
      pendingLabel="Saving…"
      refused={r ? 'The rule was not saved' : 'The rule was not added'}
      onSubmit={save}
    >
      <Field id={`${id}-name`} label="Name" error={err.name}>
        {(a11y) => (
          <input
            {...a11y}
            required
            maxLength={100}
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field id={`${id}-type`} label="Asset type" error={err.type}>
        {(a11y) => (
          <select {...a11y} value={type} onChange={(e) => setType(e.currentTarget.value)}>
            <option value="">Any type</option>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {typeLabel(t)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id={`${id}-source`} label="Source system" hint="Empty: any source." error={err.sourceSystem}>
        {(a11y) => (
          <input {...a11y} maxLength={100} value={source} onInput={(e) => setSource(e.currentTarget.value)} />
        )}
      </Field>
      {number(
        'archiveAfterDays',
        'Archive after (days)',
        archive,
        setArchive,
        'Counted from the asset’s creation; empty: never.',
      )}
      {number(
        'deleteAfterDays',
        'Delete after (days)',
        remove,
        setRemove,
        'Later than the archive; empty: never.',
      )}
      {number(
        'priority',
        'Priority',
        priority,
        setPriority,
        'Of the active rules matching an asset, the highest decides.',
      )}
      <label class="check">
        <input type="checkbox" checked={active} onChange={(e) => setActive(e.currentTarget.checked)} /> Active
      </label>
    </FieldForm>
  );
}
