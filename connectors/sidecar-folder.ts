import { randomBytes } from 'node:crypto';
import { rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SidecarFolderConfig } from '../domain/controllers.js';
import { ConnectorError, FolderError, type EgressTarget, type FolderAccess } from './connector.js';
import { fsFailure } from './folder-access.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A folder of sidecars (docs/connectors.md): each changed asset's record written as
 * `<assetId>.json`, whole (a temporary file in the same folder renamed over it, so a reader never
 * sees half a file); a deleted or archived asset's file removed. The folder is resolved under the
 * controller folder root at every batch, so a folder moved or linked elsewhere since is refused.
 */
export function sidecarFolderTarget(folders: FolderAccess): EgressTarget {
  return {
    async deliver(config, batch, { tenantId }) {
      const c = config as SidecarFolderConfig;
      let dir: string;
      try {
        dir = await folders.resolve(tenantId, c.path);
      } catch (err) {
        if (err instanceof FolderError) throw new ConnectorError(err.message);
        throw err;
      }
      for (const record of batch.records) {
        if (!UUID.test(record.assetId)) throw new ConnectorError(`not an asset id: ${record.assetId}`);
        const target = join(dir, `${record.assetId}.json`);
        if (record.op === 'delete') {
          try {
            await rm(target, { force: true });
          } catch (err) {
            throw new ConnectorError(
              `could not remove ${record.assetId}.json: ${fsFailure(err, dir, c.path)}`,
            );
          }
          continue;
        }
        const temp = join(dir, `.${record.assetId}.${randomBytes(6).toString('hex')}.tmp`);
        try {
          await writeFile(temp, `${JSON.stringify(record, null, 2)}\n`, { flag: 'wx', mode: 0o644 });
          await rename(temp, target);
        } catch (err) {
          await unlink(temp).catch(() => undefined);
          throw new ConnectorError(`could not write ${record.assetId}.json: ${fsFailure(err, dir, c.path)}`);
        }
      }
    },
  };
}
