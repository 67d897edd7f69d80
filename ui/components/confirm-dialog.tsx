import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { ApiError } from '../api';
import { ErrorMessage } from './error-message';

/**
 * A modal question before a destructive action (revoke, delete). Focus starts on Cancel, the choice
 * that changes nothing; Escape cancels too. A refusal from the API stays in the dialog, so the
 * user reads why before closing it.
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  busy: boolean;
  error: ApiError | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (props.open && !dialog?.open) {
      opener.current = document.activeElement;
      dialog?.showModal();
    }
    if (!props.open && dialog?.open) {
      // Closing gives the focus back to the button that opened the dialog; when the confirmed action
      // removed that button with its row (a delete), the focus would fall to the body: it goes to
      // the page's heading instead, so the keyboard carries on from the top of the page.
      dialog.close();
      if (!opener.current?.isConnected) document.querySelector<HTMLElement>('main h1')?.focus();
      opener.current = null;
    }
  }, [props.open]);

  return (
    <dialog
      ref={ref}
      class="confirm"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-body"
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
      }}
    >
      {props.open && (
        <>
          <h2 id="confirm-title">{props.title}</h2>
          <div id="confirm-body">{props.children}</div>
          <ErrorMessage error={props.error} />
          <div class="actions">
            <button type="button" autoFocus onClick={props.onCancel}>
              {props.error ? 'Close' : 'Cancel'}
            </button>
            {!props.error && (
              <button type="button" class="danger" aria-busy={props.busy} onClick={props.onConfirm}>
                {props.confirmLabel}
              </button>
            )}
          </div>
        </>
      )}
    </dialog>
  );
}
