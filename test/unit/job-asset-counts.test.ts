import { describe, expect, it } from 'vitest';
import { SomeAssetsFailedError, type JobContext, type JobHandlers } from '../../queue/jobs.js';
import { serviceMetrics } from '../../services/metrics.js';
import { countingAssets } from '../../workers/handlers.js';

const batch = (...ids: string[]) => ({
  tenantId: 't',
  assets: ids.map((assetId) => ({ assetId, version: 1 })),
});
const attempt = (n: number): JobContext => ({ jobId: 'j', attempt: n, maxAttempts: 3 });

/** Handlers whose asset batch jobs do what `run` says; the others are never called here. */
function handlers(run: (payload: ReturnType<typeof batch>) => Promise<void>): JobHandlers {
  const unused = () => Promise.reject(new Error('not in this test'));
  return {
    'enrich-assets': run,
    'project-assets': run,
    'train-label-models': unused,
    'run-background-job': unused,
    'deliver-webhook': unused,
  };
}

describe('assets counted by how each attempt of a batch job ended', () => {
  const counting = (run: Parameters<typeof handlers>[0]) => {
    const metrics = serviceMetrics();
    const sut = countingAssets(handlers(run), (job, outcome, n) =>
      metrics.jobAssets.inc({ job_name: job, outcome }, n),
    );
    const count = (job: string, outcome: string) => {
      const line = metrics.registry
        .render()
        .split('\n')
        .find((l) => l.startsWith(`mdisc_job_assets_total{job_name="${job}",outcome="${outcome}"} `));
      return Number(line?.split(' ')[1]);
    };
    return { sut, count };
  };

  it('starts every outcome at 0, so that the first failure is an increase', () => {
    const { count } = counting(() => Promise.resolve());
    for (const job of ['enrich-assets', 'project-assets'])
      for (const outcome of ['done', 'retried', 'failed']) expect(count(job, outcome)).toBe(0);
  });

  it('counts each distinct asset of a job that succeeds as done', async () => {
    const { sut, count } = counting(() => Promise.resolve());
    await sut['enrich-assets'](batch('a', 'b', 'b'), attempt(1));
    expect(count('enrich-assets', 'done')).toBe(2);
    expect(count('project-assets', 'done')).toBe(0);
  });

  it('splits a batch that failed for some assets: the rest done, those retried, then failed on the last attempt', async () => {
    const partly = () =>
      Promise.reject(new SomeAssetsFailedError(batch('c'), [{ assetId: 'c', error: 'refused' }]));
    const { sut, count } = counting(partly);
    await expect(sut['project-assets'](batch('a', 'b', 'c'), attempt(1))).rejects.toBeInstanceOf(
      SomeAssetsFailedError,
    );
    expect([count('project-assets', 'done'), count('project-assets', 'retried')]).toEqual([2, 1]);
    await expect(sut['project-assets'](batch('c'), attempt(3))).rejects.toThrow(/refused/);
    expect(count('project-assets', 'failed')).toBe(1);
    expect(count('project-assets', 'done')).toBe(2);
  });

  it('counts every asset of a job that failed as a whole', async () => {
    const { sut, count } = counting(() => Promise.reject(new Error('database gone')));
    await expect(sut['enrich-assets'](batch('a', 'b'), attempt(3))).rejects.toThrow('database gone');
    expect([count('enrich-assets', 'done'), count('enrich-assets', 'failed')]).toEqual([0, 2]);
  });
});
