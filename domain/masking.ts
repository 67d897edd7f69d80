/**
 * Masking: configured metadata values are replaced by tokens before they are stored. The rules and
 * the replacement are pure; making tokens and keeping the token → value mapping is the service's.
 */

/** What a masked value becomes: `tok_` and 32 hex digits (128 bits of an HMAC). */
export const TOKEN_PATTERN = /^tok_[0-9a-f]{32}$/;
export const isToken = (value: string): boolean => TOKEN_PATTERN.test(value);

/**
 * One masked field:
 * - `operationalTags` with a key: the value of each operational tag `<key>:<value>` (key compared
 *   ignoring case), so `user:jane@example.com` is stored as `user:tok_…`;
 * - `operationalTags` without a key: every operational tag, whole;
 * - `contributors`: every contributor.
 */
export type MaskRule = { field: 'operationalTags'; key: string | null } | { field: 'contributors' };

const RULE = /^(?:operationalTags(?:\.([A-Za-z0-9_-]{1,50}))?|contributors)$/;

/**
 * Parses `MASK_FIELDS`: comma-separated rules such as `operationalTags.user,operationalTags.email`.
 * Throws naming the first entry it does not understand.
 */
export function parseMaskFields(spec: string): MaskRule[] {
  const rules: MaskRule[] = [];
  for (const entry of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = RULE.exec(entry);
    if (!m) {
      throw new Error(
        `"${entry}" is not a maskable field: use operationalTags.<key>, operationalTags or contributors`,
      );
    }
    rules.push(
      entry === 'contributors'
        ? { field: 'contributors' }
        : { field: 'operationalTags', key: m[1]?.toLowerCase() ?? null },
    );
  }
  return rules;
}

/** The fields masking may touch; anything else passes through unchanged. */
export interface MaskableFields {
  operationalTags?: string[] | undefined;
  contributors?: string[] | undefined;
}

/** The separator of an operational tag's key and value: `user:jane`. */
const KEY_SEPARATOR = ':';

/**
 * The fields with every configured value replaced by `tokenOf(value)`. Values `keep` says are
 * already tokens stay as they are, so an edit that sends back what it read does not mask twice.
 */
export function maskFields<T extends MaskableFields>(
  fields: T,
  rules: readonly MaskRule[],
  tokenOf: (value: string) => string,
  keep: (value: string) => boolean = isToken,
): T {
  if (rules.length === 0) return fields;
  const mask = (value: string) => (value === '' || keep(value) ? value : tokenOf(value));
  const wholeTags = rules.some((r) => r.field === 'operationalTags' && r.key === null);
  const tagKeys = new Set(rules.flatMap((r) => (r.field === 'operationalTags' && r.key ? [r.key] : [])));
  const out: T = { ...fields };
  if (fields.operationalTags && (wholeTags || tagKeys.size > 0)) {
    out.operationalTags = fields.operationalTags.map((tag) => {
      if (wholeTags) return mask(tag);
      const at = tag.indexOf(KEY_SEPARATOR);
      if (at <= 0 || !tagKeys.has(tag.slice(0, at).trim().toLowerCase())) return tag;
      return tag.slice(0, at + 1) + mask(tag.slice(at + 1).trim());
    });
  }
  if (fields.contributors && rules.some((r) => r.field === 'contributors')) {
    out.contributors = fields.contributors.map(mask);
  }
  return out;
}

/** The values `maskFields` would look at: what may need a token (or already is one). */
export function maskedValuesOf(fields: MaskableFields, rules: readonly MaskRule[]): string[] {
  const seen: string[] = [];
  maskFields(
    fields,
    rules,
    (v) => {
      seen.push(v);
      return v;
    },
    () => false,
  );
  return seen;
}
