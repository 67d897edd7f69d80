import { LOGGING_LEVELS, MAX_SYNC_INTERVAL_MINUTES, type KindField } from '../controller-kinds';
import { Field, type FieldA11y } from './field';

/** One configuration field of a kind, named `configuration.<name>` in the API's problems. */
function KindInput(props: {
  field: KindField;
  a11y: FieldA11y;
  value: string;
  onChange: (v: string) => void;
}) {
  const { field: f, a11y } = props;
  if (f.type === 'select') {
    return (
      <select {...a11y} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        {f.options?.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  }
  const common = {
    ...a11y,
    required: f.required,
    placeholder: f.placeholder,
    value: props.value,
    onInput: (e: { currentTarget: HTMLInputElement }) => props.onChange(e.currentTarget.value),
  };
  if (f.type === 'number')
    return <input {...common} type="number" inputMode="numeric" min={f.min} max={f.max} />;
  if (f.type === 'url') return <input {...common} type="url" maxLength={2048} />;
  return <input {...common} type="text" maxLength={100} />;
}

/** A kind's configuration fields (controller-kinds.ts), each with the API's problem beside it. */
export function KindFields(props: {
  idPrefix: string;
  fields: readonly KindField[];
  values: Record<string, string>;
  errors: Record<string, string>;
  onChange: (field: string, value: string) => void;
}) {
  return (
    <>
      {props.fields.map((f) => (
        <Field
          key={f.name}
          id={`${props.idPrefix}-${f.name}`}
          label={f.optional ? `${f.label} (optional)` : f.label}
          hint={f.hint}
          error={props.errors[`configuration.${f.name}`]}
        >
          {(a11y) => (
            <KindInput
              field={f}
              a11y={a11y}
              value={props.values[f.name] ?? ''}
              onChange={(v) => props.onChange(f.name, v)}
            />
          )}
        </Field>
      ))}
    </>
  );
}

export interface ScheduleValues {
  syncIntervalMinutes: string;
  loggingLevel: string;
}

/** The sync interval and the logging level, as a new controller and its settings ask for them. */
export function ScheduleFields(props: {
  idPrefix: string;
  values: ScheduleValues;
  errors: Record<string, string>;
  onChange: (field: keyof ScheduleValues, value: string) => void;
}) {
  return (
    <>
      <Field
        id={`${props.idPrefix}-interval`}
        label="Sync interval (minutes)"
        hint={`Between the starts of two scheduled syncs, 1 to ${MAX_SYNC_INTERVAL_MINUTES.toLocaleString()}.`}
        error={props.errors.syncIntervalMinutes}
      >
        {(a11y) => (
          <input
            {...a11y}
            type="number"
            inputMode="numeric"
            required
            min={1}
            max={MAX_SYNC_INTERVAL_MINUTES}
            value={props.values.syncIntervalMinutes}
            onInput={(e) => props.onChange('syncIntervalMinutes', e.currentTarget.value)}
          />
        )}
      </Field>
      <Field
        id={`${props.idPrefix}-logging`}
        label="Logging level"
        hint="Its own log lines at and above this level."
        error={props.errors.loggingLevel}
      >
        {(a11y) => (
          <select
            {...a11y}
            value={props.values.loggingLevel}
            onChange={(e) => props.onChange('loggingLevel', e.currentTarget.value)}
          >
            {LOGGING_LEVELS.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        )}
      </Field>
    </>
  );
}
