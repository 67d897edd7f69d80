import { useEffect, useRef, useState } from 'preact/hooks';
import { fieldErrors, toApiError, type ApiError } from '../api';
import { useApp } from '../app-context';
import {
  CONTROLLER_KINDS,
  DEFAULT_SYNC_INTERVAL_MINUTES,
  initialValues,
  toConfiguration,
  type Controller,
} from '../controller-kinds';
import { ErrorMessage } from './error-message';
import { Field, FieldProblems } from './field';
import { KindFields, ScheduleFields } from './controller-fields';
import { PendingButton } from './pending-button';

const ID = 'new-controller';

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
  const [values, setValues] = useState(
    () => Object.assign({}, ...CONTROLLER_KINDS.map(initialValues)) as Record<string, string>,
  );
  const [schedule, setSchedule] = useState({
    syncIntervalMinutes: String(DEFAULT_SYNC_INTERVAL_MINUTES),
    loggingLevel: 'info',
  });
  const [enabled, setEnabled] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const form = useRef<HTMLFormElement>(null);

  const known = [
    'name',
    'syncIntervalMinutes',
    'loggingLevel',
    ...kind.fields.map((f) => `configuration.${f.name}`),
  ];
  const { byField, rest } = fieldErrors(error, known);
  useEffect(() => {
    if (error) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error]);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
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
      setValues(Object.assign({}, ...CONTROLLER_KINDS.map(initialValues)) as Record<string, string>);
      onCreated(res.body);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      ref={form}
      class="admin-form"
      aria-labelledby={`${ID}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) void submit();
      }}
    >
      <h2 id={`${ID}-title`}>New controller</h2>
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
      <Field id={`${ID}-name`} label="Name" error={byField.name} hint="What it pulls in, in words.">
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
        errors={byField}
        onChange={(field, value) => setValues((v) => ({ ...v, [field]: value }))}
      />
      <ScheduleFields
        idPrefix={ID}
        values={schedule}
        errors={byField}
        onChange={(field, value) => setSchedule((s) => ({ ...s, [field]: value }))}
      />
      <label class="check">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />{' '}
        Enabled: sync on schedule
      </label>
      <div>
        <PendingButton type="submit" pending={busy} pendingLabel="Adding controller…" onClick={() => {}}>
          Add controller
        </PendingButton>
      </div>
      <FieldProblems count={Object.keys(byField).length} what="The controller was not added" />
      {rest && <ErrorMessage error={error} />}
    </form>
  );
}
