import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { fieldErrors, toApiError, type ApiError } from '../api';
import { ErrorMessage } from './error-message';
import { PendingButton } from './pending-button';

/** A form's write: whether it waits, and the API's refusal by field (`fieldErrors` in api.ts). */
export function useFieldForm(known: readonly string[]) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const ref = useRef<HTMLFormElement>(null);
  // A refusal moves the focus to the first field it names, whose description says why.
  useEffect(() => {
    if (error) ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error]);
  const run = async (write: () => Promise<void>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await write();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, ref, run, ...fieldErrors(error, known) };
}

export type FieldFormState = ReturnType<typeof useFieldForm>;

/**
 * A titled form whose fields show the API's problems beside them (components/field.tsx): its submit
 * button says its wait, and under it one alert says how many fields need a change, or, for what
 * no field shows, the API's words.
 */
export function FieldForm(props: {
  id: string;
  title: string;
  state: FieldFormState;
  submitLabel: string;
  pendingLabel: string;
  /** "The controller was not added": said before how many fields need a change. */
  refused: string;
  onSubmit: () => Promise<void>;
  children: ComponentChildren;
}) {
  const s = props.state;
  const problems = Object.keys(s.byField).length;
  return (
    <form
      ref={s.ref}
      class="admin-form"
      aria-labelledby={`${props.id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        void s.run(props.onSubmit);
      }}
    >
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      {props.children}
      <div>
        <PendingButton type="submit" pending={s.busy} pendingLabel={props.pendingLabel} onClick={() => {}}>
          {props.submitLabel}
        </PendingButton>
      </div>
      {problems > 0 && (
        <p role="alert" class="error">
          {props.refused}: {problems === 1 ? 'one field needs' : `${problems} fields need`} a change.
        </p>
      )}
      {s.rest && <ErrorMessage error={s.error} />}
    </form>
  );
}
