import { useEffect, useRef } from 'preact/hooks';
import type { Conflict } from '../use-versioned-writes';
import { DiffTable } from './diff-table';

/**
 * A modal dialog for a 412: what changed since the version the editor's change was based on, and the
 * two ways on. Escape counts as discarding, the choice that writes nothing.
 */
export function ConflictDialog(props: {
  conflict: Conflict | null;
  onReapply: () => void;
  onDiscard: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const { conflict } = props;

  useEffect(() => {
    const dialog = ref.current;
    if (conflict && !dialog?.open) dialog?.showModal();
    if (!conflict && dialog?.open) dialog.close();
  }, [conflict]);

  return (
    <dialog
      ref={ref}
      class="conflict"
      aria-labelledby="conflict-title"
      aria-describedby="conflict-summary"
      onCancel={(e) => {
        e.preventDefault();
        props.onDiscard();
      }}
    >
      {conflict && (
        <>
          <h2 id="conflict-title">Someone else changed this asset</h2>
          <p id="conflict-summary">
            Your change ({conflict.write.description}) was based on version {conflict.sentVersion}, but the
            asset is now at version {conflict.currentVersion}. Your change was not saved.
          </p>
          <DiffTable caption={`Changed since version ${conflict.sentVersion}`} changes={conflict.diff} />
          <div class="actions">
            <button type="button" autoFocus onClick={props.onReapply}>
              Reload and re-apply my change
            </button>
            <button type="button" onClick={props.onDiscard}>
              Discard mine
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
