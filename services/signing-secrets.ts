import type { SecretBox } from '../domain/secret-box.js';
import type { Database } from '../store/database.js';
import type {
  SecretTable,
  SigningSecretsRepository,
  StoredSecrets,
} from '../store/signing-secrets-repository.js';

const SECRET_TABLES: readonly SecretTable[] = ['webhooks', 'controllers'];

const PAGE = 500;

/**
 * Seals every signing secret (webhooks, partner pushes) not sealed under the current SECRETS_KEY:
 * those stored in plain text before sealing existed (migration 0064), and those sealed under a key
 * now in SECRETS_KEY_PREVIOUS. Run at start, by every process: a row another process sealed
 * meanwhile is left as it is. A value no configured key opens is counted in `unreadable` and left
 * alone (its deliveries fail until the key that sealed it is configured); the service still starts.
 */
export async function sealSigningSecrets(deps: {
  db: Database;
  repository: SigningSecretsRepository;
  box: Pick<SecretBox, 'seal' | 'open' | 'sealedPrefix'>;
}): Promise<{ sealed: number; unreadable: number }> {
  const { db, repository, box } = deps;
  let sealed = 0;
  let unreadable = 0;
  const reseal = (v: string) => box.seal(box.open(v));
  for (const table of SECRET_TABLES) {
    let after: StoredSecrets | null = null;
    for (;;) {
      const rows = await repository.notSealedWith(db, table, box.sealedPrefix, after, PAGE);
      for (const row of rows) {
        let next: StoredSecrets;
        try {
          next = {
            ...row,
            secret: row.secret.startsWith(box.sealedPrefix) ? row.secret : reseal(row.secret),
            previousSecret:
              row.previousSecret === null || row.previousSecret.startsWith(box.sealedPrefix)
                ? row.previousSecret
                : reseal(row.previousSecret),
          };
        } catch {
          unreadable++;
          continue;
        }
        if (await repository.replace(db, table, row, next)) sealed++;
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]!;
    }
  }
  return { sealed, unreadable };
}
