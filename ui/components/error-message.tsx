import type { ApiError } from '../api';

/** A failed call as the API explained it (the problem's detail), announced at once. */
export function ErrorMessage({ error }: { error: ApiError | undefined | null }) {
  if (!error) return null;
  return (
    <p role="alert" class="error">
      {error.problem.detail ?? `${error.problem.title} (${error.status})`}
    </p>
  );
}
