import { useLayoutEffect, useRef } from 'preact/hooks';
import { useApp } from '../app-context';

/**
 * A secret the API shows once (a new API key, a webhook's signing secret): a warning, the value in
 * a read-only field, and a copy button. Focus moves here when it appears, so nobody misses it.
 */
export function SecretReveal(props: { label: string; secret: string; warning: string; onDone: () => void }) {
  const ref = useRef<HTMLElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const { announce } = useApp();
  useLayoutEffect(() => ref.current?.focus(), [props.secret]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.secret);
      announce('Copied to the clipboard.');
    } catch {
      // No clipboard (an insecure origin, or denied): select it for the user to copy.
      input.current?.select();
      announce('Copying is not allowed here: the secret is selected, press Ctrl+C (⌘C) to copy it.');
    }
  };

  return (
    <section class="secret" ref={ref} tabIndex={-1} aria-labelledby="secret-title">
      <h2 id="secret-title">{props.label}</h2>
      <p class="warning" id="secret-warning">
        {props.warning}
      </p>
      <div class="secret-row">
        <label for="secret-value" class="visually-hidden">
          {props.label}
        </label>
        <input
          id="secret-value"
          ref={input}
          readOnly
          value={props.secret}
          aria-describedby="secret-warning"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <button type="button" onClick={props.onDone}>
        I have stored it
      </button>
    </section>
  );
}
