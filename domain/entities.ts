/** Graph entity types an asset links to. */
export const ENTITY_TYPES = ['KEYWORD', 'TOPIC', 'SPEAKER', 'BRAND', 'CONTRIBUTOR', 'TAG'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/**
 * The identity of an entity name within its type: case, accents, punctuation and spacing
 * do not make two entities.
 */
export function normalizeEntityName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
