import { z } from 'zod';
import { PERMISSIONS, ROLES } from '../../domain/permissions.js';
import type { ApiKeyListing } from '../../store/api-keys-repository.js';

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
  })
  .strict()
  .meta({
    id: 'NewApiKey',
    examples: [{ name: 'CMS sync', role: 'EDITOR', scopes: ['assets:write', 'assets:read'] }],
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
