import { Renames, type RenameRule } from '../domain/tag-renames.js';
import type { Sql } from '../store/database.js';
import type { EnrichmentSettingsRepository } from '../store/enrichment-settings-repository.js';

export const RENAMES_CONTROLLER = 'enrichment.renames';

type RenamesStore = Pick<
  EnrichmentSettingsRepository,
  'getConfig' | 'setConfig' | 'lockRenamesShared' | 'lockRenamesExclusive'
>;

/**
 * A tenant's renames: the rules that rewrite old names wherever names are written onto an asset.
 * Read under a shared lock that a change of the rules waits for: once a rename commits, every later
 * write applies it and every earlier one is visible to the rename's scan, so none slips between.
 */
export class RenameRules {
  constructor(private readonly deps: { settings: RenamesStore }) {}

  /** The renames in force, for a transaction that writes names onto an asset. Never cached. */
  async inForce(tx: Sql, tenantId: string): Promise<Renames> {
    await this.deps.settings.lockRenamesShared(tx, tenantId);
    return new Renames(await this.stored(tx, tenantId));
  }

  /**
   * The rules in force as stored, under the same shared lock as inForce: a batch of enrichments,
   * extracted before its transaction, compares them with the rules it extracted with.
   */
  async lockedRules(tx: Sql, tenantId: string): Promise<RenameRule[]> {
    await this.deps.settings.lockRenamesShared(tx, tenantId);
    return this.stored(tx, tenantId);
  }

  /** The rules as stored, oldest first. */
  async stored(sql: Sql, tenantId: string): Promise<RenameRule[]> {
    const stored = await this.deps.settings.getConfig<{ rules: RenameRule[] }>(
      sql,
      tenantId,
      RENAMES_CONTROLLER,
    );
    return stored?.rules ?? [];
  }

  /** Changes the rules under the exclusive lock (see inForce). */
  async change(tx: Sql, tenantId: string, change: (rules: RenameRule[]) => RenameRule[]): Promise<void> {
    await this.deps.settings.lockRenamesExclusive(tx, tenantId);
    const rules = change(await this.stored(tx, tenantId));
    await this.deps.settings.setConfig(tx, tenantId, RENAMES_CONTROLLER, { rules });
  }
}
