import { useEffect, useRef, useState } from 'preact/hooks';
import { fieldErrors, toApiError, type ApiError } from '../api';
import { useApp } from '../app-context';
import { WHEN_GONE_FIELD, type Controller } from '../controller-kinds';
import { ErrorMessage } from './error-message';
import { KindFields, ScheduleFields } from './controller-fields';
import { FieldProblems } from './field';
import { PendingButton } from './pending-button';

const ID = 'controller-settings';
const KNOWN = ['syncIntervalMinutes', 'loggingLevel', 'configuration.whenGone'];

/**
 * A controller's interval, logging level and what becomes of items that leave its feed: PATCH sends
 * only what changed (a whenGone change as the whole configuration, which is how the API takes it).
 */
export function ControllerSettingsForm(props: { controller: Controller; onSaved: (c: Controller) => void }) {
  const { api, announce } = useApp();
  const c = props.controller;
  const hasWhenGone = 'whenGone' in c.configuration;
  const startValues = () => ({
    syncIntervalMinutes: String(c.syncIntervalMinutes),
    loggingLevel: c.loggingLevel as string,
  });
  const [schedule, setSchedule] = useState(startValues);
  const [whenGone, setWhenGone] = useState(
    typeof c.configuration.whenGone === 'string' ? c.configuration.whenGone : 'keep',
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const { byField, rest } = fieldErrors(error, KNOWN);
  useEffect(() => {
    if (error) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error]);

  const changes = () => {
    const body: Record<string, unknown> = {};
    const interval = Number(schedule.syncIntervalMinutes);
    if (interval !== c.syncIntervalMinutes) body.syncIntervalMinutes = interval;
    if (schedule.loggingLevel !== c.loggingLevel) body.loggingLevel = schedule.loggingLevel;
    if (hasWhenGone && whenGone !== c.configuration.whenGone)
      body.configuration = { ...c.configuration, whenGone };
    return body;
  };

  const save = async () => {
    const body = changes();
    if (Object.keys(body).length === 0) {
      announce('Nothing to save: the settings are as they were.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const res = await api.request<Controller>('PATCH', `/v1/controllers/${c.id}`, { body });
      announce(`Settings of “${res.body.name}” saved; they apply at the schedule’s next tick.`);
      props.onSaved(res.body);
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
        if (!busy) void save();
      }}
    >
      <h2 id={`${ID}-title`}>Settings</h2>
      <ScheduleFields
        idPrefix={ID}
        values={schedule}
        errors={byField}
        onChange={(field, value) => setSchedule((s) => ({ ...s, [field]: value }))}
      />
      {hasWhenGone && (
        <KindFields
          idPrefix={ID}
          fields={[WHEN_GONE_FIELD]}
          values={{ whenGone }}
          errors={byField}
          onChange={(_, value) => setWhenGone(value)}
        />
      )}
      <div>
        <PendingButton type="submit" pending={busy} pendingLabel="Saving settings…" onClick={() => {}}>
          Save settings
        </PendingButton>
      </div>
      <FieldProblems count={Object.keys(byField).length} what="The settings were not saved" />
      {rest && <ErrorMessage error={error} />}
    </form>
  );
}
