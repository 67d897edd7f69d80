import { useState } from 'preact/hooks';
import { useApp } from '../app-context';
import { WHEN_GONE_FIELD, type Controller } from '../controller-kinds';
import { KindFields, ScheduleFields, type ScheduleValues } from './controller-fields';
import { FieldForm, useFieldForm } from './field-form';

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
  const [schedule, setSchedule] = useState<ScheduleValues>(() => ({
    syncIntervalMinutes: String(c.syncIntervalMinutes),
    loggingLevel: c.loggingLevel,
  }));
  const [whenGone, setWhenGone] = useState(
    typeof c.configuration.whenGone === 'string' ? c.configuration.whenGone : 'keep',
  );
  const form = useFieldForm(KNOWN);

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
      <ScheduleFields
        idPrefix={ID}
        values={schedule}
        errors={form.byField}
        onChange={(field, value) => setSchedule((s) => ({ ...s, [field]: value }))}
      />
      {hasWhenGone && (
        <KindFields
          idPrefix={ID}
          fields={[WHEN_GONE_FIELD]}
          values={{ whenGone }}
          errors={form.byField}
          onChange={(_, value) => setWhenGone(value)}
        />
      )}
    </FieldForm>
  );
}
