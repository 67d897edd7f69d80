import { gazetteerFor, type BrandEntry } from '../enrichment/brands.js';
import type { ExtractionResult } from '../enrichment/extract.js';
import { LabelModel, type LabelModelJson } from '../enrichment/label-model.js';
import type { TopicDefinition } from '../enrichment/topics.js';
import { extractRequest, type ExtractionRequest } from '../services/asset-extraction.js';
import type { TenantEnrichmentContext } from '../services/tenant-enrichment-context.js';

/**
 * The worker-thread side of workers/extraction-threads.ts: runs the pure extraction of one asset.
 * A tenant's settings and label models are sent once per thread, under a key that changes when
 * they do, and kept here; a task names them by key, and brings them only after a thread answered
 * that it lacks them.
 */

export interface TenantSettings {
  taxonomy: TopicDefinition[];
  brands: BrandEntry[];
}

export interface Keyed<T> {
  key: string;
  /** Sent only when the thread asked for it. */
  value?: T;
}

export interface ThreadTask extends Omit<ExtractionRequest, 'tenant'> {
  settings: Keyed<TenantSettings>;
  topicModel: Keyed<LabelModelJson> | null;
  tagModel: Keyed<LabelModelJson> | null;
}

export type ThreadAnswer = { result: ExtractionResult } | { missing: true };

/** A few tenants' worth: a thread serves every tenant, and a model can be megabytes. */
class Kept<T> {
  private readonly entries = new Map<string, T>();
  constructor(private readonly max: number) {}

  get(key: string): T | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      // Most recently used last, so that the oldest goes first.
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: T): T {
    this.entries.set(key, value);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}

const settingsKept = new Kept<Pick<TenantEnrichmentContext, 'taxonomy' | 'gazetteer' | 'brands'>>(64);
const modelsKept = new Kept<LabelModel>(32);

function model(keyed: Keyed<LabelModelJson> | null): LabelModel | null | undefined {
  if (!keyed) return null;
  const kept = modelsKept.get(keyed.key);
  if (kept || !keyed.value) return kept;
  return modelsKept.set(keyed.key, LabelModel.fromJSON(keyed.value));
}

export default function extractInThread(task: ThreadTask): ThreadAnswer {
  const { settings: keyed, topicModel: topicKey, tagModel: tagKey, ...request } = task;
  let settings = settingsKept.get(keyed.key);
  if (!settings && keyed.value) {
    const { taxonomy, brands } = keyed.value;
    settings = settingsKept.set(keyed.key, { taxonomy, brands, gazetteer: gazetteerFor(brands) });
  }
  const topicModel = model(topicKey);
  const tagModel = model(tagKey);
  if (!settings || topicModel === undefined || tagModel === undefined) return { missing: true };
  const tenant = { ...settings, topicModel, tagModel, workflows: [], modelsTrainedAt: null };
  return { result: extractRequest({ ...request, tenant }) };
}
