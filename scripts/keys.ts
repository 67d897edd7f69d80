/**
 * Creates an API key and prints its secret once, or revokes one.
 *   npm run keys -- create --tenant default --role EDITOR --name "CMS sync" [--scopes assets:read,search:read]
 *   npm run keys -- create --tenant sample --role EDITOR --name samples --secret sample-key-0123456789
 *   npm run keys -- create --tenant default --role DEVELOPER --scopes events:write --name player \
 *     --origins https://player.example.com --ip-ranges 203.0.113.0/24
 *   npm run keys -- revoke --tenant default --id <key id>
 * With --secret the key has that secret (16+ characters; for local set-ups, as BOOTSTRAP_API_KEY),
 * and running it again is a no-op. Revoking here may remove a tenant's last ADMIN key, which the API
 * refuses to do. Uses the same DATABASE_URL / DATA_DIR as the service. With embedded PGlite, stop the
 * service first: one process at a time may open its data directory.
 */
import { z } from 'zod';
import { KEY_RESTRICTIONS_MAX, normalizeCidr, normalizeOrigin } from '../domain/key-restrictions.js';
import { PERMISSIONS, ROLES } from '../domain/permissions.js';
import { loadConfig } from '../runtime/config.js';
import { apiKeyService } from '../runtime/container.js';
import { openDatabase } from '../store/db.js';
import { migrate } from '../store/migrate.js';
import { CliError, describeIssues, parseCli, runCli } from './lib/cli.js';

const USAGE = [
  `npm run keys -- create --tenant TENANT --role ${ROLES.join('|')} --name NAME [--scopes a,b] [--origins o1,o2] [--ip-ranges cidr1,cidr2] [--secret SECRET]`,
  'npm run keys -- revoke --tenant TENANT --id KEY_ID',
].join(' | ');

const Tenant = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'tenant: lower-case letters, digits, - and _');

/** A comma-separated list, each item normalized or refused (docs/security.md, "Restricted keys"). */
const restriction = (flag: string, normalize: (v: string) => string | null, what: string) =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      const items = (s ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
      if (items.length > KEY_RESTRICTIONS_MAX) {
        ctx.addIssue({ code: 'custom', message: `${flag}: at most ${KEY_RESTRICTIONS_MAX}` });
        return z.NEVER;
      }
      const out: string[] = [];
      for (const item of items) {
        const n = normalize(item);
        if (n === null) {
          ctx.addIssue({ code: 'custom', message: `${flag}: ${item} is not ${what}` });
          return z.NEVER;
        }
        out.push(n);
      }
      return out;
    });

const Revoke = z.object({
  command: z.literal('revoke'),
  tenant: Tenant,
  id: z.uuid({ error: 'id: the key id (a uuid), as GET /v1/api-keys lists it' }),
});

const Create = z.object({
  command: z.literal('create', { error: 'the commands are "create" and "revoke"' }),
  tenant: Tenant,
  role: z.enum(ROLES),
  name: z.string().min(1),
  scopes: z
    .string()
    .optional()
    .transform((s) => s?.split(',').map((x) => x.trim()))
    .pipe(z.array(z.enum(PERMISSIONS)).optional()),
  secret: z.string().min(16, 'secret: at least 16 characters').optional(),
  origins: restriction('origins', normalizeOrigin, 'an origin such as https://player.example.com'),
  'ip-ranges': restriction('ip-ranges', normalizeCidr, 'a CIDR range such as 203.0.113.0/24'),
});

runCli(async () => {
  const { values, positionals } = parseCli(
    USAGE,
    {
      tenant: { type: 'string', default: 'default' },
      role: { type: 'string', default: 'VIEWER' },
      name: { type: 'string', default: 'cli' },
      scopes: { type: 'string' },
      secret: { type: 'string' },
      origins: { type: 'string' },
      'ip-ranges': { type: 'string' },
      id: { type: 'string' },
    },
    { allowPositionals: true },
  );
  const parsed = (positionals[0] === 'revoke' ? Revoke : Create).safeParse({
    command: positionals[0],
    ...values,
  });
  if (!parsed.success)
    throw new CliError(`${describeIssues(parsed.error.issues, ['command'])}; usage: ${USAGE}`);
  const args = parsed.data;
  const config = loadConfig();
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: 1 });
  try {
    await migrate(db);
    const keys = apiKeyService(db);
    if (args.command === 'revoke') {
      await keys.revokeAsOperator(args.tenant, args.id);
      console.error(`Revoked key ${args.id} of tenant ${args.tenant}.`);
      return;
    }
    if (args.secret) {
      // Run again, it finds the key it made: a set-up script may run it every time.
      const existing = await keys.authenticate(`Bearer ${args.secret}`).catch(() => null);
      if (existing && existing.tenantId !== args.tenant)
        throw new CliError(
          `that secret is already a key of tenant ${existing.tenantId}: choose another secret`,
        );
      if (existing) {
        console.error(
          `A key with that secret exists for tenant ${args.tenant} (role ${existing.role}); nothing to do.`,
        );
        return;
      }
    }
    const key = await keys.create({
      tenantId: args.tenant,
      name: args.name,
      role: args.role,
      ...(args.scopes ? { permissions: args.scopes } : {}),
      ...(args.secret ? { secret: args.secret } : {}),
      restrictions: { allowedOrigins: args.origins, allowedIpRanges: args['ip-ranges'] },
    });
    console.error(`Created key ${key.id} (${key.prefix}…) for tenant ${args.tenant}, role ${args.role}.`);
    console.error(`Permissions: ${key.permissions.join(', ')}`);
    if (args.origins.length > 0) console.error(`Allowed origins: ${args.origins.join(', ')}`);
    if (args['ip-ranges'].length > 0)
      console.error(`Allowed address ranges: ${args['ip-ranges'].join(', ')}`);
    console.error('The secret below is shown once; store it now.');
    console.log(key.secret);
  } finally {
    await db.close();
  }
});
