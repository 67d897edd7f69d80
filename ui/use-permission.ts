import { useApp } from './app-context';
import type { Permission } from './admin-types';

/**
 * Whether the signed-in key holds a permission, as `GET /v1/me` (asked once by the shell) says.
 * Undefined while asking; true if the API could not say, so the UI offers the action and the API,
 * which checks every request, has the last word.
 */
export function useCan(permission: Permission): boolean | undefined {
  const { me } = useApp();
  if (me.error) return true;
  return me.key ? me.key.permissions.includes(permission) : undefined;
}
