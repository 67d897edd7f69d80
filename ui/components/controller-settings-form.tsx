import { useState } from 'preact/hooks';
import { useApp } from '../app-context';
import { kindOf, toConfiguration, WHEN_GONE_FIELD, type Controller } from '../controller-kinds';
import { KindFields, ScheduleFields, type ScheduleValues } from './controller-fields';
import { Field } from './field';
import { FieldForm, useFieldForm } from './field-form';

const ID = 'controller-settings';

/** A configuration value as a form field holds it. */
const asText = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';

/**
 * A controller's name, its kind's configuration (the fields of the form that added it: a feed's URL,
 * a folder, a partner's endpoint, what becomes of items that leave the feed), its interval and its
 * logging level. PATCH sends only what changed; a configuration change as the whole configuration,
 * which is how the API takes it (properties this form has no field for are kept as they are).
 */
export function ControllerSettingsForm(props: { controller: Controller; onSaved: (c: Controller) => void }) {
  const { api, announce } = useApp();
  const c = props.controller;
  const kind = kindOf(c.kind);
  // A kind this UI does not know: only what every kind has (and whenGone, where it has one).
  const fields = kind?.fields ?? ('whenGone' in c.configuration ? [WHEN_GONE_FIELD] : []);
  const [name, setName] = useState(c.name);
  const [schedule, setSchedule] = useState<ScheduleValues>(() => ({
    syncIntervalMinutes: String(c.syncIntervalMinutes),
    loggingLevel: c.loggingLevel,
  }));
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      fields.map((f) => [f.name, asText(c.configuration[f.name]) || (f.name === 'whenGone' ? 'keep' : '')]),
    ),
  );
  const form = useFieldForm([
    'name',
    'syncIntervalMinutes',
    'loggingLevel',
    ...fields.map((f) => `configuration.${f.name}`),
  ]);

  const configuration = () => {
    const next: Record<string, unknown> = { ...c.configuration };
    for (const f of fields) delete next[f.name];
    return { ...next, ...toConfiguration({ fields }, values) };
  };

  const changes = () => {
    const body: Record<string, unknown> = {};
    if (name.trim() !== c.name) body.name = name.trim();
    const interval = Number(schedule.syncIntervalMinutes);
    if (interval !== c.syncIntervalMinutes) body.syncIntervalMinutes = interval;
    if (schedule.loggingLevel !== c.loggingLevel) body.loggingLevel = schedule.loggingLevel;
    const next = configuration();
    const same = (a: Record<string, unknown>, b: Record<string, unknown>) =>
      Object.keys({ ...a, ...b }).every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
    if (!same(next, c.configuration)) body.configuration = next;
    return body;
  };

  const save = async () => {
    const body = changes();
    if (Object.keys(body).length === 0) {
      announce('Nothing to save: the settings are as they were.');
      return;
    }
    const res = await api.request<Controller>('PATCH', `/v1/controllers/${c.id}`, { body });
    announce(`Settings of “${res.body.name}” saved; they apply at the schedule’s next tick.`);
    props.onSaved(res.body);
  };

  return (
    <FieldForm
      id={ID}
      title="Settings"
      state={form}
      submitLabel="Save settings"
      pendingLabel="Saving settings…"
      refused="The settings were not saved"
      onSubmit={save}
    >
      <Field id={`${ID}-name`} label="Name" error={form.byField.name}>
        {(a11y) => (
          <input
            {...a11y}
            type="text"
            required
            maxLength={200}
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        )}
      </Field>
      {fields.length > 0 && (
        <KindFields
          idPrefix={ID}
          fields={fields}
          values={values}
          errors={form.byField}
          onChange={(field, value) => setValues((v) => ({ ...v, [field]: value }))}
        />
      )}
      <ScheduleFields
        idPrefix={ID}
        values={schedule}
        errors={form.byField}
        onChange={(field, value) => setSchedule((s) => ({ ...s, [field]: value }))}
      />
    </FieldForm>
  );
}
