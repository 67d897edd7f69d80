/** Roles and what they may do: the one permission matrix of the service. */
export const ROLES = ['ADMIN', 'CONTENT_MANAGER', 'EDITOR', 'DEVELOPER', 'VIEWER'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'assets:read',
  'assets:write',
  /** Deleting assets (a tombstone until purged: gone from search, related content, the graph and exports). */
  'assets:delete',
  /** Purging assets (their content erased, versions included) and setting legal holds: ADMIN only. */
  'assets:purge',
  'search:read',
  'tags:write',
  'jobs:manage',
  'keys:manage',
  'export:read',
  'webhooks:manage',
  'workflows:manage',
  'taxonomy:manage',
  /** Sending interaction events: what a player or page carries (an ingest-only key holds only this). */
  'events:write',
  /** Reading the metrics of interaction events and of the pipeline. */
  'metrics:read',
  /**
   * Reading the value behind a masking token, and the privacy of interaction events (erasing a
   * person's raw events, their retention): ADMIN only (it is every permission).
   */
  'masking:resolve',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ: Permission[] = ['assets:read', 'search:read'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  ADMIN: PERMISSIONS,
  CONTENT_MANAGER: [
    ...READ,
    'assets:write',
    'assets:delete',
    'tags:write',
    'jobs:manage',
    'export:read',
    'taxonomy:manage',
    'metrics:read',
  ],
  EDITOR: [...READ, 'assets:write', 'tags:write'],
  DEVELOPER: [...READ, 'keys:manage', 'webhooks:manage', 'jobs:manage', 'events:write', 'metrics:read'],
  VIEWER: READ,
};

/** A key's effective permissions: what it asked for, never more than its role allows. */
export function effectivePermissions(role: Role, requested?: readonly Permission[]): Permission[] {
  const allowed = ROLE_PERMISSIONS[role];
  return requested ? allowed.filter((p) => requested.includes(p)) : [...allowed];
}
