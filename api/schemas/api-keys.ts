import { z } from 'zod';
import { KEY_RESTRICTIONS_MAX, normalizeCidr, normalizeOrigin } from '../../domain/key-restrictions.js';
import { PERMISSIONS, ROLES } from '../../domain/permissions.js';
import type { ApiKeyListing } from '../../store/api-keys-repository.js';

/** A list of values each normalized by `normalize`, or refused naming the value that is not one. */
const normalizedList = (normalize: (v: string) => string | null, what: string) =>
  z
    .array(z.string().max(300))
    .max(KEY_RESTRICTIONS_MAX)
    .transform((values, ctx) => {
      const out: string[] = [];
      values.forEach((value, i) => {
        const normalized = normalize(value);
        if (normalized === null) ctx.addIssue({ code: 'custom', path: [i], message: `must be ${what}` });
        else if (!out.includes(normalized)) out.push(normalized);
      });
      return out;
    });

export const NewApiKeyBody = z
  .object({
    name: z.string().trim().min(1).max(100).describe('What the key is for, e.g. "CMS sync".'),
    role: z.enum(ROLES).optional().describe("The key's role; the maker's own when absent."),
    scopes: z
      .array(z.enum(PERMISSIONS))
      .min(1)
      .max(PERMISSIONS.length)
      .optional()
      .describe("Narrows the role's permissions to these; all of the role's when absent."),
    allowedOrigins: normalizedList(normalizeOrigin, 'an origin such as https://player.example.com[:port]')
      .optional()
      .describe(
        `Browser origins (scheme://host[:port]) the key is accepted from, at most ${KEY_RESTRICTIONS_MAX}. ` +
          'With any, a request without an allowed Origin gets 403, and the CORS routes (POST /v1/events) ' +
          'answer browsers of these origins only. For keys a web player carries.',
      ),
    allowedIpRanges: normalizedList(normalizeCidr, 'a CIDR range such as 203.0.113.0/24 or 2001:db8::/32')
      .optional()
      .describe(
        `Client address ranges (CIDR) the key is accepted from, at most ${KEY_RESTRICTIONS_MAX}; 403 from elsewhere. ` +
          "The address is the connecting socket's: behind a proxy, that is the proxy (docs/security.md).",
      ),
  })
  .strict()
  .meta({
    id: 'NewApiKey',
    examples: [
      { name: 'CMS sync', role: 'EDITOR', scopes: ['assets:write', 'assets:read'] },
      {
        name: 'Web player',
        role: 'DEVELOPER',
        scopes: ['events:write'],
        allowedOrigins: ['https://player.example.com'],
      },
    ],
  });

export const ApiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().describe('The first characters of the secret, to recognize a leaked key.'),
    role: z.enum(ROLES),
    scopes: z.array(z.enum(PERMISSIONS)).describe('What the key may do.'),
    status: z.enum(['ACTIVE', 'REVOKED']),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable().describe('To the minute.'),
    revokedAt: z.string().nullable(),
    allowedOrigins: z.array(z.string()).describe('Origins the key is accepted from; empty: any.'),
    allowedIpRanges: z
      .array(z.string())
      .describe('Address ranges (CIDR) the key is accepted from; empty: any.'),
  })
  .meta({ id: 'ApiKey' });

export const CreatedApiKeySchema = ApiKeySchema.extend({
  secret: z.string().describe('The bearer secret. Shown this once: only its SHA-256 hash is stored.'),
}).meta({ id: 'CreatedApiKey' });

export const ApiKeyListSchema = z.object({ items: z.array(ApiKeySchema) }).meta({ id: 'ApiKeyList' });

export const apiKeyDto = (k: ApiKeyListing) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  role: k.role,
  scopes: k.permissions,
  status: k.status,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
  allowedOrigins: k.allowedOrigins,
  allowedIpRanges: k.allowedIpRanges,
});

export const CurrentKeySchema = z
  .object({
    tenantId: z.string().describe("The key's tenant."),
    keyId: z.uuid(),
    name: z.string(),
    prefix: z.string().describe('The first characters of the secret.'),
    role: z.enum(ROLES),
    permissions: z
      .array(z.enum(PERMISSIONS))
      .describe("What the key may do: its role's permissions, narrowed to its scopes."),
  })
  .meta({
    id: 'CurrentKey',
    examples: [
      {
        tenantId: 'default',
        keyId: '0b9e6c1a-5d0e-4f43-9a4e-3b7f1c2d8e90',
        name: 'CMS sync',
        prefix: 'mdk_1a2b3c4d',
        role: 'EDITOR',
        permissions: ['assets:read', 'assets:write', 'search:read'],
      },
    ],
  });
