import { useApp } from './app-context';
import { useLoad } from './use-load';

/**
 * Whether the signed-in key may write tags (rename, merge), asked of the API itself: /v1 checks a
 * route's permission before it reads the body, so an empty rename answers 403 without the
 * permission and 400 (the body is invalid) with it, and changes nothing either way. The API has
 * no "what may this key do" route; until it has, this probe is the one truthful source.
 * Undefined while asking; true when the answer is anything but 403, so the API has the last word.
 */
export function useCanWriteTags(): boolean | undefined {
  const { api } = useApp();
  const probe = useLoad(
    (signal) =>
      api.request('POST', '/v1/tags/rename', { body: {}, signal }).then(
        () => true,
        (err: unknown) => (err as { status?: number }).status !== 403,
      ),
    [api],
  );
  return probe.data;
}
