/**
 * Seals every webhook and partner-push signing secret not yet sealed under SECRETS_KEY, for its row:
 * secrets stored in plain text before sealing existed, values of the first format (`enc:v1:`, bound
 * to no row), and values sealed under a key now in SECRETS_KEY_PREVIOUS.
 *   npm run secrets:seal
 * Every start of the service does the same pass; this is the step to run on its own, e.g. after
 * setting a new SECRETS_KEY (docs/webhooks.md, "Changing the key"). Idempotent: a second run seals
 * nothing. Uses the same DATABASE_URL / DATA_DIR and keys as the service; with embedded PGlite, stop
 * the service first. Exit status: 0 when every secret is sealed under SECRETS_KEY, 2 when some
 * opened with no configured key (listed by count, never by value: keep SECRETS_KEY_PREVIOUS), 1 on error.
 */
import { loadConfig } from '../runtime/config.js';
import { secretBoxFor } from '../runtime/container.js';
import { sealSigningSecrets } from '../services/signing-secrets.js';
import { openDatabase } from '../store/db.js';
import { migrate } from '../store/migrate.js';
import { signingSecretsRepository } from '../store/signing-secrets-repository.js';
import { parseCli, runCli } from './lib/cli.js';

runCli(async () => {
  parseCli('npm run secrets:seal', {});
  const config = loadConfig();
  const log = {
    info: (_: object, msg: string) => console.error(msg),
    warn: (_: object, msg: string) => console.error(`warning: ${msg}`),
    error: (_: object, msg: string) => console.error(`error: ${msg}`),
  };
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: 1 });
  try {
    await migrate(db);
    const result = await sealSigningSecrets({
      db,
      repository: signingSecretsRepository,
      box: secretBoxFor(config, log),
    });
    console.log(`${result.sealed} signing secret(s) sealed; ${result.unreadable} unreadable`);
    if (result.unreadable > 0) {
      console.error(
        'some secrets open with neither SECRETS_KEY nor SECRETS_KEY_PREVIOUS: configure the key that sealed them, or rotate those secrets; keep SECRETS_KEY_PREVIOUS until this reports none',
      );
      process.exitCode = 2;
    }
  } finally {
    await db.close();
  }
});
