import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, usableCores } from '../../runtime/config.js';

describe('config', () => {
  it('runs embedded with no environment at all', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 3000, DATA_DIR: './data', RUN_WORKERS: true });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.REDIS_URL).toBeUndefined();
  });

  it('checks and repairs drift at start and every 15 minutes on the in-process queue, not with Redis', () => {
    expect(loadConfig({})).toMatchObject({
      DRIFT_CHECK_ON_START: true,
      DRIFT_CHECK_INTERVAL_MINUTES: 15,
      DRIFT_REPAIR: true,
    });
    expect(loadConfig({ REDIS_URL: 'redis://localhost:6379' })).toMatchObject({
      DRIFT_CHECK_ON_START: false,
      DRIFT_CHECK_INTERVAL_MINUTES: 0,
      DRIFT_REPAIR: false,
    });
    expect(loadConfig({ DRIFT_CHECK_INTERVAL_MINUTES: '0', DRIFT_REPAIR: 'false' })).toMatchObject({
      DRIFT_CHECK_INTERVAL_MINUTES: 0,
      DRIFT_REPAIR: false,
    });
  });

  it('keeps analytics on Postgres unless CLICKHOUSE_URL is set, in a database named by CLICKHOUSE_DATABASE', () => {
    expect(loadConfig({}).CLICKHOUSE_URL).toBeUndefined();
    expect(loadConfig({}).CLICKHOUSE_DATABASE).toBe('media_analytics');
    expect(
      loadConfig({ CLICKHOUSE_URL: 'http://u:p@127.0.0.1:8123', CLICKHOUSE_DATABASE: 'a1' }),
    ).toMatchObject({
      CLICKHOUSE_URL: 'http://u:p@127.0.0.1:8123',
      CLICKHOUSE_DATABASE: 'a1',
    });
    expect(() => loadConfig({ CLICKHOUSE_URL: 'tcp://127.0.0.1:9000' })).toThrow(ConfigError);
    expect(() => loadConfig({ CLICKHOUSE_DATABASE: 'a; DROP' })).toThrow(ConfigError);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', REDIS_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('fails loudly, naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(ConfigError);
  });

  it('refuses to run without workers when jobs would have nowhere to go', () => {
    expect(() => loadConfig({ RUN_WORKERS: 'false' })).toThrow(/REDIS_URL/);
    expect(loadConfig({ RUN_WORKERS: 'false', REDIS_URL: 'redis://localhost:6379' }).RUN_WORKERS).toBe(false);
  });

  it('parses MASK_FIELDS, and needs MASK_KEY with it', () => {
    expect(loadConfig({}).MASK_FIELDS).toEqual([]);
    const key = 'k'.repeat(32);
    expect(
      loadConfig({ MASK_FIELDS: 'operationalTags.user,contributors', MASK_KEY: key }).MASK_FIELDS,
    ).toEqual([{ field: 'operationalTags', key: 'user' }, { field: 'contributors' }]);
    expect(() => loadConfig({ MASK_FIELDS: 'operationalTags.user' })).toThrow(/MASK_KEY/);
    expect(() => loadConfig({ MASK_FIELDS: 'transcript', MASK_KEY: key })).toThrow(
      /MASK_FIELDS.*transcript/s,
    );
    expect(() => loadConfig({ MASK_KEY: 'short' })).toThrow(/MASK_KEY/);
  });

  it('counts the cores a cgroup CPU quota allows, at most the CPUs and at least one', () => {
    const cpus = Math.min(64, availableParallelism());
    expect(usableCores('max 100000\n')).toBe(cpus);
    expect(usableCores(null)).toBe(cpus);
    expect(usableCores('100000 100000\n')).toBe(1);
    expect(usableCores('150000 100000\n')).toBe(Math.min(cpus, 2));
    expect(usableCores('50000 100000\n')).toBe(1);
    expect(usableCores('6400000 100000\n')).toBe(cpus);
  });

  it('runs a worker process per core, and extracts on all cores but one only on the in-process queue', () => {
    const cores = usableCores();
    expect(loadConfig({})).toMatchObject({
      WORKER_PROCESSES: cores,
      EXTRACTION_THREADS: Math.max(1, cores - 1),
    });
    expect(loadConfig({ REDIS_URL: 'redis://localhost:6379' })).toMatchObject({ EXTRACTION_THREADS: 0 });
    expect(loadConfig({ WORKER_PROCESSES: '4', EXTRACTION_THREADS: '0' })).toMatchObject({
      WORKER_PROCESSES: 4,
      EXTRACTION_THREADS: 0,
    });
    for (const bad of ['0', '65', '1.5', 'many'])
      expect(() => loadConfig({ WORKER_PROCESSES: bad })).toThrow(/WORKER_PROCESSES/);
    for (const bad of ['-1', '65'])
      expect(() => loadConfig({ EXTRACTION_THREADS: bad })).toThrow(/EXTRACTION_THREADS/);
  });

  it('serves worker metrics over HTTP only when METRICS_PORT is given', () => {
    expect(loadConfig({}).METRICS_PORT).toBeUndefined();
    expect(loadConfig({ METRICS_PORT: '9464' }).METRICS_PORT).toBe(9464);
    for (const bad of ['0', '65536', 'ninety'])
      expect(() => loadConfig({ METRICS_PORT: bad })).toThrow(/METRICS_PORT/);
  });
});
