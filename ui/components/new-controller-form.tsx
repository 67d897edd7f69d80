import { useState } from 'preact/hooks';
import { useApp } from '../app-context';
import {
  CONTROLLER_KINDS,
  DEFAULT_SYNC_INTERVAL_MINUTES,
  initialValues,
  toConfiguration,
  type Controller,
} from '../controller-kinds';
import { KindFields, ScheduleFields } from './controller-fields';
import { Field } from './field';
import { FieldForm, useFieldForm } from './field-form';

const ID = 'new-controller';
const allInitialValues = () =>
  Object.assign({}, ...CONTROLLER_KINDS.map(initialValues)) as Record<string, string>;

/**
 * "New controller": its kind first, then that kind's fields (controller-kinds.ts), the schedule and
 * the logging level. A refusal shows each problem beside its field, and the focus moves to the first.
 */
export function NewControllerForm({ onCreated }: { onCreated: (c: Controller) => void }) {
  const { api, announce } = useApp();
  const [kindName, setKindName] = useState(CONTROLLER_KINDS[0]!.kind);
  const kind = CONTROLLER_KINDS.find((k) => k.kind === kindName) ?? CONTROLLER_KINDS[0]!;
  const [name, setName] = useState('');
  // One map for every kind's fields: the URL typed stays when the kind changes.
  const [values, setValues] = useState(allInitialValues);
  const [schedule, setSchedule] = useState({
    syncIntervalMinutes: String(DEFAULT_SYNC_INTERVAL_MINUTES),
    loggingLevel: 'info',
  });
  const [enabled, setEnabled] = useState(true);
  const form = useFieldForm([
    'name',
    'syncIntervalMinutes',
    'loggingLevel',
    ...kind.fields.map((f) => `configuration.${f.name}`),
  ]);

  const submit = async () => {
    const res = await api.request<Controller>('POST', '/v1/controllers', {
      body: {
        kind: kind.kind,
        name: name.trim(),
        configuration: toConfiguration(kind, values),
        syncIntervalMinutes: Number(schedule.syncIntervalMinutes),
        loggingLevel: schedule.loggingLevel,
        enabled,
      },
    });
    announce(
      `Controller “${res.body.name}” added${enabled ? '; it syncs at the schedule’s next tick' : ', disabled'}.`,
    );
    setName('');
    setValues(allInitialValues());
    onCreated(res.body);
  };

  return (
    <FieldForm
      id={ID}
      title="New controller"
      state={form}
      submitLabel="Add controller"
      pendingLabel="Adding controller…"
      refused="The controller was not added"
      onSubmit={submit}
    >
      <Field id={`${ID}-kind`} label="Kind" hint={kind.description}>
        {(a11y) => (
          <select {...a11y} value={kind.kind} onChange={(e) => setKindName(e.currentTarget.value)}>
            {CONTROLLER_KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id={`${ID}-name`} label="Name" error={form.byField.name} hint="What it pulls in, in words.">
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
      <KindFields
        idPrefix={ID}
        fields={kind.fields}
        values={values}
        errors={form.byField}
        onChange={(field, value) => setValues((v) => ({ ...v, [field]: value }))}
      />
      <ScheduleFields
        idPrefix={ID}
        values={schedule}
        errors={form.byField}
        onChange={(field, value) => setSchedule((s) => ({ ...s, [field]: value }))}
      />
      <label class="check">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />{' '}
        Enabled: sync on schedule
      </label>
    </FieldForm>
  );
}
