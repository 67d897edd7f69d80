import { realpath, stat } from 'node:fs/promises';
import { join, relative, resolve as resolvePath, sep } from 'node:path';
import { FolderError, type FolderAccess } from './connector.js';
import { errorMessage } from '../domain/errors.js';

/** Whether `path` (a real path) is `root` or lies inside it. */
export const isWithin = (root: string, path: string): boolean =>
  path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

/**
 * What a tenant may read of a file system error (a run's failures, its controller's lastError):
 * its code, and where, relative to the tenant's folder, never the service's own paths. `root` is
 * the controller's folder as resolved, `shownAs` that folder as the tenant configured it.
 */
export function fsFailure(err: unknown, root: string, shownAs: string): string {
  const e = err as NodeJS.ErrnoException;
  if (!(err instanceof Error) || typeof e.code !== 'string') {
    return errorMessage(err);
  }
  const where = (p: unknown) =>
    typeof p === 'string' && isWithin(root, resolvePath(p))
      ? join(shownAs, relative(root, resolvePath(p)))
          .split(sep)
          .join('/')
      : undefined;
  const path = where(e.path);
  return path === undefined ? e.code : `${e.code} on ${path}`;
}

/** Tenant ids as the tenants table holds them: safe as one path segment. */
const TENANT_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/**
 * The folders the folder kinds may use: a tenant's under `<root>/<tenant id>/` (CONTROLLER_FOLDER_ROOT),
 * symbolic links resolved before the check, so a link that leads out of the tenant's folder (to the
 * root, another tenant's, anywhere else) is refused. Without a root, every folder is refused.
 */
export function folderAccess(root: string | undefined): FolderAccess {
  return {
    configured: root !== undefined && root !== '',
    async resolve(tenantId, relative) {
      if (!root) {
        throw new FolderError(
          'this service has no controller folder root (CONTROLLER_FOLDER_ROOT), so folder controllers are off',
          'unconfigured',
        );
      }
      if (!TENANT_ID.test(tenantId)) throw new FolderError(`not a tenant id: ${tenantId}`, 'outside');
      let realRoot: string;
      let tenantRoot: string;
      try {
        realRoot = await realpath(root);
        tenantRoot = await realpath(resolvePath(realRoot, tenantId));
      } catch {
        throw new FolderError(
          `the tenant has no folder under the controller folder root (${tenantId}/)`,
          'missing',
        );
      }
      if (!isWithin(realRoot, tenantRoot) || tenantRoot === realRoot) {
        throw new FolderError(`the tenant's folder leads outside the controller folder root`, 'outside');
      }
      let real: string;
      try {
        real = await realpath(resolvePath(tenantRoot, relative));
      } catch {
        throw new FolderError(`no folder ${relative} in the tenant's folder`, 'missing');
      }
      if (!isWithin(tenantRoot, real)) {
        throw new FolderError(`${relative} leads outside the tenant's folder`, 'outside');
      }
      if (!(await stat(real)).isDirectory()) {
        throw new FolderError(`${relative} is not a folder`, 'not-a-folder');
      }
      return real;
    },
  };
}
