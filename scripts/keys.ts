/**
 * Creates an API key and prints its secret once, or revokes one.
 *   npm run keys -- create --tenant default --role EDITOR --name "CMS sync" [--scopes assets:read,search:read]
 *   npm run keys -- revoke --tenant default --id <key id>
 * Revoking here may remove a tenant's last ADMIN key, which the API refuses to do.
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

const Revoke = z.object({
  command: z.literal('revoke'),
  tenant: z.string().min(1),
  id: z.uuid({ error: 'id: the key id (a uuid), as GET /v1/api-keys lists it' }),
});

const Create = z.object({
  command: z.literal('create', { error: 'the commands are "create" and "revoke"' }),
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
      id: { type: 'string' },
    },
  });
  const parsed = (positionals[0] === 'revoke' ? Revoke : Create).safeParse({
    command: positionals[0],
    ...values,
  });
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('; '));
  const args = parsed.data;
  const config = loadConfig();
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: 1 });
  try {
    await migrate(db);
    if (args.command === 'revoke') {
      await apiKeyService(db).revokeAsOperator(args.tenant, args.id);
      console.error(`Revoked key ${args.id} of tenant ${args.tenant}.`);
      return;
    }
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
