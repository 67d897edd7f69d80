/**
 * Creates an API key and prints its secret once.
 *   npm run keys -- create --tenant default --role EDITOR --name "CMS sync" [--scopes assets:read,search:read]
 * Uses the same DATABASE_URL / DATA_DIR as the service. With embedded PGlite, stop the service first:
 * one process at a time may open its data directory.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { PERMISSIONS, ROLES } from '../domain/permissions.js';
import { loadConfig } from '../runtime/config.js';
import { apiKeyService } from '../runtime/container.js';
import { openDatabase } from '../store/db.js';
import { migrate } from '../store/migrate.js';

const Args = z.object({
  command: z.literal('create', { error: 'the only command is "create"' }),
  tenant: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'tenant: lower-case letters, digits, - and _'),
  role: z.enum(ROLES),
  name: z.string().min(1),
  scopes: z
    .string()
    .optional()
    .transform((s) => s?.split(',').map((x) => x.trim()))
    .pipe(z.array(z.enum(PERMISSIONS)).optional()),
});

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      tenant: { type: 'string', default: 'default' },
      role: { type: 'string', default: 'VIEWER' },
      name: { type: 'string', default: 'cli' },
      scopes: { type: 'string' },
    },
  });
  const parsed = Args.safeParse({ command: positionals[0], ...values });
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('; '));
  const args = parsed.data;
  const config = loadConfig();
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: 1 });
  try {
    await migrate(db);
    const key = await apiKeyService(db).create({
      tenantId: args.tenant,
      name: args.name,
      role: args.role,
      ...(args.scopes ? { permissions: args.scopes } : {}),
    });
    console.error(`Created key ${key.id} (${key.prefix}…) for tenant ${args.tenant}, role ${args.role}.`);
    console.error(`Permissions: ${key.permissions.join(', ')}`);
    console.error('The secret below is shown once; store it now.');
    console.log(key.secret);
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
