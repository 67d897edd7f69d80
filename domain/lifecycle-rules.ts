import type { AssetType } from './asset.js';

/** A tenant's rule that archives or deletes assets by age (docs/lifecycle.md#lifecycle-rules). */
export interface LifecycleRule {
  id: string;
  tenantId: string;
  name: string;
  /** Which assets it is about; null: any. */
  type: AssetType | null;
  sourceSystem: string | null;
  archiveAfterDays: number | null;
  deleteAfterDays: number | null;
  /** Higher first; ties by name. */
  priority: number;
  active: boolean;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** What a rule says, as written and changed. */
export type RuleFields = Pick<
  LifecycleRule,
  'name' | 'type' | 'sourceSystem' | 'archiveAfterDays' | 'deleteAfterDays' | 'priority' | 'active'
>;

export const fieldsOf = (r: LifecycleRule): RuleFields => ({
  name: r.name,
  type: r.type,
  sourceSystem: r.sourceSystem,
  archiveAfterDays: r.archiveAfterDays,
  deleteAfterDays: r.deleteAfterDays,
  priority: r.priority,
  active: r.active,
});

/** What a rule reads of an asset. */
export interface LifecycleCandidate {
  id: string;
  title: string;
  type: AssetType;
  sourceSystem: string;
  /** The age is counted from it: when the asset was made, as its source said, or ingested. */
  createdAt: Date;
  archived: boolean;
  legalHold: boolean;
  /** The pipeline status; QUEUED or PROCESSING: still being enriched. */
  status: string;
}

export type LifecycleAction = 'ARCHIVE' | 'DELETE';
export type SkipReason = 'legal-hold' | 'enriching';

/** What the deciding rule does to one asset, and why; `skipped` says why it is left alone this time. */
export interface LifecycleDecision {
  asset: LifecycleCandidate;
  rule: Pick<LifecycleRule, 'id' | 'name'>;
  action: LifecycleAction;
  /** Whole days since `createdAt`, at the clock of the decision. */
  ageDays: number;
  thresholdDays: number;
  skipped: SkipReason | null;
}

export const DAY_MS = 86_400_000;
/** The rules a tenant may hold: far more than any retention policy has clauses. */
export const MAX_LIFECYCLE_RULES_PER_TENANT = 100;
export const MAX_LIFECYCLE_DAYS = 36_500;

/** The order rules are weighed in: higher priority first, ties by name. */
export function byPriority(a: LifecycleRule, b: LifecycleRule): number {
  return b.priority - a.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

const matches = (rule: LifecycleRule, asset: LifecycleCandidate) =>
  rule.active &&
  (rule.type === null || rule.type === asset.type) &&
  (rule.sourceSystem === null || rule.sourceSystem === asset.sourceSystem);

/**
 * What the rules (in priority order, `byPriority`) do to one live asset at `now`: the first active rule that
 * matches its type and source system decides, alone (a lower rule is not asked, even when the
 * deciding one does nothing). Past deleteAfterDays: DELETE; else past archiveAfterDays and not
 * archived: ARCHIVE; else nothing (null). An asset under legal hold or still being enriched is
 * reported with what the rule would do, as skipped.
 */
export function decide(
  rules: readonly LifecycleRule[],
  asset: LifecycleCandidate,
  now: Date,
): LifecycleDecision | null {
  const rule = rules.find((r) => matches(r, asset));
  if (!rule) return null;
  const ageMs = now.getTime() - asset.createdAt.getTime();
  const past = (days: number | null): days is number => days !== null && ageMs >= days * DAY_MS;
  let action: LifecycleAction;
  let thresholdDays: number;
  if (past(rule.deleteAfterDays)) [action, thresholdDays] = ['DELETE', rule.deleteAfterDays];
  else if (past(rule.archiveAfterDays) && !asset.archived)
    [action, thresholdDays] = ['ARCHIVE', rule.archiveAfterDays];
  else return null;
  const skipped: SkipReason | null = asset.legalHold
    ? 'legal-hold'
    : asset.status === 'QUEUED' || asset.status === 'PROCESSING'
      ? 'enriching'
      : null;
  return {
    asset,
    rule: { id: rule.id, name: rule.name },
    action,
    ageDays: Math.floor(ageMs / DAY_MS),
    thresholdDays,
    skipped,
  };
}

/** A rule's thresholds, checked together: at least one, and a delete after an archive. */
export function thresholdProblem(
  archiveAfterDays: number | null,
  deleteAfterDays: number | null,
): string | null {
  if (archiveAfterDays === null && deleteAfterDays === null)
    return 'a rule needs archiveAfterDays, deleteAfterDays or both';
  if (archiveAfterDays !== null && deleteAfterDays !== null && deleteAfterDays <= archiveAfterDays)
    return 'deleteAfterDays must be later than archiveAfterDays';
  return null;
}
