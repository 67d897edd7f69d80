import type { ComponentChildren } from 'preact';

/** What a control takes to say its hint and its error to assistive technology. */
export interface FieldA11y {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

/**
 * A labelled control with its hint and, after a refused write, the API's word on it below: the
 * control is `aria-invalid` and described by both, so a screen reader reads why as it lands there.
 */
export function Field(props: {
  id: string;
  label: ComponentChildren;
  hint?: string | undefined;
  error?: string | undefined;
  children: (a11y: FieldA11y) => ComponentChildren;
}) {
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  const errorId = props.error ? `${props.id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children({
        id: props.id,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(props.error ? { 'aria-invalid': true } : {}),
      })}
      {props.error && (
        <p id={errorId} class="error field-error">
          {props.error}
        </p>
      )}
      {props.hint && (
        <p id={hintId} class="hint">
          {props.hint}
        </p>
      )}
    </div>
  );
}
