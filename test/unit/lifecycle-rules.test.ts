import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  byPriority,
  DAY_MS,
  decide,
  thresholdProblem,
  type LifecycleCandidate,
  type LifecycleRule,
} from '../../domain/lifecycle-rules.js';

const NOW = new Date('2026-12-07T00:00:00Z');

const aRule = (over: Partial<LifecycleRule>): LifecycleRule => ({
  id: randomUUID(),
  tenantId: 'default',
  name: 'rule',
  type: null,
  sourceSystem: null,
  archiveAfterDays: null,
  deleteAfterDays: null,
  priority: 0,
  active: true,
  createdBy: 'key:test',
  createdAt: NOW,
  updatedAt: NOW,
  ...over,
});

const anAsset = (ageDays: number, over: Partial<LifecycleCandidate> = {}): LifecycleCandidate => ({
  id: randomUUID(),
  title: 'a talk',
  type: 'VIDEO',
  sourceSystem: 'ted',
  createdAt: new Date(NOW.getTime() - ageDays * DAY_MS),
  archived: false,
  legalHold: false,
  status: 'PROCESSED',
  ...over,
});

const weigh = (rules: LifecycleRule[], asset: LifecycleCandidate) => {
  const d = decide([...rules].sort(byPriority), asset, NOW);
  return d && `${d.rule.name} ${d.action} ${d.ageDays}/${d.thresholdDays} ${d.skipped ?? ''}`.trim();
};

describe('lifecycle rules: which rule decides, and what', () => {
  const both = aRule({ name: 'both', archiveAfterDays: 30, deleteAfterDays: 365 });

  it('deletes at the delete threshold, archives at the archive threshold, and counts whole days', () => {
    expect(weigh([both], anAsset(29.9))).toBeNull();
    expect(weigh([both], anAsset(30))).toBe('both ARCHIVE 30/30');
    expect(weigh([both], anAsset(364.9))).toBe('both ARCHIVE 364/30');
    expect(weigh([both], anAsset(365))).toBe('both DELETE 365/365');
  });

  it('does not archive an archived asset again, but deletes it when its time comes', () => {
    expect(weigh([both], anAsset(100, { archived: true }))).toBeNull();
    expect(weigh([both], anAsset(400, { archived: true }))).toBe('both DELETE 400/365');
  });

  it('lets the highest-priority matching active rule decide alone; ties go by name', () => {
    const keep = aRule({ name: 'keep', sourceSystem: 'ted', archiveAfterDays: 10_000, priority: 5 });
    const off = aRule({ name: 'off', deleteAfterDays: 1, priority: 99, active: false });
    expect(weigh([both, keep, off], anAsset(400))).toBeNull();
    expect(weigh([both, keep, off], anAsset(400, { sourceSystem: 'vimeo' }))).toBe('both DELETE 400/365');
    const a = aRule({ name: 'a', archiveAfterDays: 1 });
    const b = aRule({ name: 'b', deleteAfterDays: 1 });
    expect(weigh([b, a], anAsset(5))).toBe('a ARCHIVE 5/1');
  });

  it('matches type and source system filters', () => {
    const images = aRule({ name: 'images', type: 'IMAGE', archiveAfterDays: 1 });
    expect(weigh([images], anAsset(5))).toBeNull();
    expect(weigh([images], anAsset(5, { type: 'IMAGE' }))).toBe('images ARCHIVE 5/1');
  });

  it('reports legal holds and assets being enriched as skipped, with what would happen', () => {
    expect(weigh([both], anAsset(400, { legalHold: true }))).toBe('both DELETE 400/365 legal-hold');
    expect(weigh([both], anAsset(40, { status: 'PROCESSING' }))).toBe('both ARCHIVE 40/30 enriching');
  });

  it('wants at least one threshold, and a delete after the archive', () => {
    expect(thresholdProblem(null, null)).toMatch(/needs/);
    expect(thresholdProblem(30, 30)).toMatch(/later/);
    expect(thresholdProblem(30, null)).toBeNull();
    expect(thresholdProblem(null, 1)).toBeNull();
  });
});
