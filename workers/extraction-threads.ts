import { Piscina } from 'piscina';
import type { ExtractionResult } from '../enrichment/extract.js';
import type { LabelModel } from '../enrichment/label-model.js';
import type { AssetExtraction, ExtractionRequest } from '../services/asset-extraction.js';
import type { Keyed, ThreadAnswer, ThreadTask } from './extraction-thread.js';

const THREAD_MODULE = new URL('./extraction-thread.ts', import.meta.url);

/**
 * The enrichment extraction on a pool of worker threads, so that a big import's CPU work leaves
 * the event loop of the API (the embedded default runs the API and the workers in one process)
 * free for requests. The database work stays on the main thread; a thread gets plain data and
 * answers plain data (structured clone). A tenant's settings and models are keyed by the objects
 * the TenantContextCache hands out: a new object (settings changed, a model retrained) is a new
 * key, sent once to each thread that asks for it (workers/extraction-thread.ts).
 */
export class ExtractionThreads implements AssetExtraction {
  private readonly pool: Piscina<ThreadTask, ThreadAnswer>;
  private readonly keys = new WeakMap<object, string>();
  private serial = 0;

  constructor(options: { threads: number }) {
    this.pool = new Piscina({
      filename: THREAD_MODULE.href,
      maxThreads: options.threads,
      // Threads start on the first task, not with the process (most processes enrich nothing for a while).
      minThreads: 0,
      idleTimeout: 60_000,
      // TypeScript in the thread as in the process: under `node --import tsx` a thread inherits the
      // process's flags (Node leaves out those a thread cannot take, such as --max-old-space-size,
      // which an explicit list would make every task fail on); a test runner's loader is not inherited.
      ...(process.execArgv.some((a) => a.includes('tsx')) ? {} : { execArgv: ['--import', 'tsx'] }),
    });
  }

  async extract(request: ExtractionRequest): Promise<ExtractionResult> {
    const first = await this.pool.run(this.task(request, false));
    if ('result' in first) return first.result;
    const second = await this.pool.run(this.task(request, true));
    if ('result' in second) return second.result;
    throw new Error('an extraction thread lost the tenant settings it was just sent');
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private keyOf(tenantId: string, value: object): string {
    let key = this.keys.get(value);
    if (!key) this.keys.set(value, (key = `${tenantId}#${++this.serial}`));
    return key;
  }

  private task(request: ExtractionRequest, withValues: boolean): ThreadTask {
    const { tenant, tenantId, ...rest } = request;
    const keyed = <T>(of: object, value: () => T): Keyed<T> => ({
      key: this.keyOf(tenantId, of),
      ...(withValues ? { value: value() } : {}),
    });
    const model = (m: LabelModel | null) => (m ? keyed(m, () => m.toJSON()) : null);
    return {
      ...rest,
      tenantId,
      settings: keyed(tenant, () => ({ taxonomy: tenant.taxonomy, brands: tenant.brands })),
      topicModel: model(tenant.topicModel),
      tagModel: model(tenant.tagModel),
    };
  }
}
