import type { ComponentChildren } from 'preact';

/**
 * A write's button that shows its wait. While `pending` it reads `pendingLabel` ("Removing…"); while
 * `pending` or `blocked` (another write runs first) it is aria-disabled and ignores clicks. Not
 * `disabled`: a disabled button drops the keyboard focus, and the user would lose their place.
 */
export function PendingButton(props: {
  pending: boolean;
  blocked?: boolean;
  pendingLabel: ComponentChildren;
  onClick: (e: MouseEvent) => void;
  type?: 'button' | 'submit';
  class?: string;
  children: ComponentChildren;
}) {
  const inert = props.pending || props.blocked === true;
  return (
    <button
      type={props.type ?? 'button'}
      class={props.class}
      aria-disabled={inert || undefined}
      onClick={(e) => {
        if (inert) {
          // A submit button in a form must not submit while inert either.
          e.preventDefault();
          return;
        }
        props.onClick(e);
      }}
    >
      {props.pending ? props.pendingLabel : props.children}
    </button>
  );
}
