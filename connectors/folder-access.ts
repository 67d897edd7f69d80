import { realpath, stat } from 'node:fs/promises';
import { resolve as resolvePath, sep } from 'node:path';
import { FolderError, type FolderAccess } from './connector.js';

/** Whether `path` (a real path) is `root` or lies inside it. */
export const isWithin = (root: string, path: string): boolean =>
  path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

/**
 * The folders the folder kinds may use: under `root` (CONTROLLER_FOLDER_ROOT), symbolic links
 * resolved before the check, so a link inside the root that leads out of it is refused. Without a
 * root, every folder is refused.
 */
export function folderAccess(root: string | undefined): FolderAccess {
  return {
    configured: root !== undefined && root !== '',
    async resolve(relative) {
      if (!root) {
        throw new FolderError(
          'this service has no controller folder root (CONTROLLER_FOLDER_ROOT), so folder controllers are off',
          'unconfigured',
        );
      }
      let realRoot: string;
      try {
        realRoot = await realpath(root);
      } catch {
        throw new FolderError('the controller folder root does not exist', 'missing');
      }
      let real: string;
      try {
        real = await realpath(resolvePath(realRoot, relative));
      } catch {
        throw new FolderError(`no folder ${relative} under the controller folder root`, 'missing');
      }
      if (!isWithin(realRoot, real)) {
        throw new FolderError(`${relative} leads outside the controller folder root`, 'outside');
      }
      if (!(await stat(real)).isDirectory()) {
        throw new FolderError(`${relative} is not a folder`, 'not-a-folder');
      }
      return real;
    },
  };
}
