import { useState } from 'preact/hooks';
import { ApiClient, toApiError } from '../api';

/** Sign-in: the key is checked against the API before it is kept for the session. */
export function SignInPage(props: { notice: string | null; onSignedIn: (key: string) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const candidate = key.trim();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await new ApiClient(candidate).get('/v1/jobs', { query: { limit: 1 } });
      props.onSignedIn(candidate);
    } catch (err) {
      const e = toApiError(err);
      // A 403 means the key authenticated and only lacks this one permission: it is a valid key.
      if (e.status === 403) props.onSignedIn(candidate);
      else if (e.status === 401) setError(`The service did not accept this API key: ${e.message}.`);
      else setError(`The key could not be checked: ${e.message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <h1>Media discovery</h1>
      {props.notice && <p role="status">{props.notice}</p>}
      <form
        aria-labelledby="sign-in-heading"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h2 id="sign-in-heading">Sign in</h2>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autocomplete="off"
          required
          aria-describedby="api-key-help"
          aria-invalid={error !== null}
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
        />
        <p id="api-key-help" class="hint">
          Kept in this tab only, until you sign out or close it. An administrator makes keys with{' '}
          <code>npm run keys</code>.
        </p>
        <button type="submit" aria-busy={busy}>
          Sign in
        </button>
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
