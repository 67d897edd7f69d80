import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Client } from '@elastic/elasticsearch';
import type { MockPattern } from '@elastic/elasticsearch-mock';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TEST_IMAGES } from '../support/docker.js';

// docker-compose.yml and the testcontainers images, read as Compose would read them: no Docker
// engine runs here, so what `docker compose config` and a start-up would catch is checked here.

interface Service {
  image?: string;
  build?: unknown;
  restart?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string[] | string };
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8')) as {
  services: Record<string, Service>;
};
const services = compose.services;

const require = createRequire(import.meta.url);
const clientVersion = (require('@elastic/elasticsearch/package.json') as { version: string }).version;
interface MockApi {
  add(pattern: MockPattern, resolver: (params: MockPattern) => unknown): unknown;
  getConnection(): NonNullable<ConstructorParameters<typeof Client>[0]['Connection']>;
}
const Mock = require('@elastic/elasticsearch-mock') as new () => MockApi;

/** The headers of every request the installed client sends, as its transport reports them. */
async function headersSent(): Promise<Record<string, unknown>[]> {
  const mock = new Mock();
  mock.add({ method: 'GET', path: '/' }, () => ({ version: { number: '9.4.4' } }));
  const client = new Client({ node: 'http://localhost:9200', Connection: mock.getConnection() });
  const seen: Record<string, unknown>[] = [];
  client.diagnostic.on('request', (_err, result) => {
    if (result) seen.push({ ...result.meta.request.params.headers });
  });
  await client.info();
  return seen;
}

/** major.minor of an image tag such as `elasticsearch:9.4.4`. */
function tagVersion(image: string): [number, number] {
  const match = /:(\d+)(?:\.(\d+))?/.exec(image);
  if (!match) throw new Error(`no version in ${image}`);
  return [Number(match[1]), Number(match[2] ?? 0)];
}

/** The programs each image is known to ship; a health check calling anything else never passes. */
const TOOLS_IN_IMAGE: Record<string, string[]> = {
  postgres: ['pg_isready'],
  redis: ['redis-cli'],
  neo4j: ['cypher-shell'],
  // The 9.x image's UBI minimal base ships curl: its own build stage runs curl without installing it.
  elasticsearch: ['curl'],
  // The clickhouse-server image installs wget (and no curl).
  clickhouse: ['wget'],
  // node:*-slim, which the Dockerfile builds on: no curl or wget.
  api: ['node'],
  // prom/prometheus is built on busybox, grafana/grafana on Alpine: wget, no curl.
  prometheus: ['wget'],
  grafana: ['wget'],
};

/** A shell command's text outside single- and double-quoted strings. */
const unquoted = (command: string) => command.replace(/'[^']*'|"[^"]*"/g, "''");

describe('docker-compose.yml', () => {
  it('runs an Elasticsearch of the installed client major, at or above its minor, in Compose and testcontainers alike', async () => {
    const [major, minor] = clientVersion.split('.').map(Number) as [number, number];
    const headers = await headersSent();
    expect(headers[0]!.accept).toContain(`compatible-with=${major}`);
    const image = services.elasticsearch!.image!;
    expect(image).toBe(TEST_IMAGES.elasticsearch);
    const [serverMajor, serverMinor] = tagVersion(image);
    expect(serverMajor).toBe(major);
    expect(serverMinor).toBeGreaterThanOrEqual(minor);
    expect(tagVersion(services.neo4j!.image!)[0]).toBe(5);
    expect(tagVersion(TEST_IMAGES.neo4j)[0]).toBe(5);
  });

  it('gives each health check a program its image has, with no unquoted shell operator in an argument', () => {
    for (const [name, tools] of Object.entries(TOOLS_IN_IMAGE)) {
      const test = services[name]!.healthcheck!.test;
      expect(Array.isArray(test), name).toBe(true);
      const [form, ...rest] = test as string[];
      if (form === 'CMD') {
        expect(tools, name).toContain(rest[0]);
      } else {
        expect(form, name).toBe('CMD-SHELL');
        const command = rest.join(' ');
        // A lone `&` sends what precedes it to the background: the check then exits 0 whatever happens.
        expect(unquoted(command), name).not.toMatch(/(^|[^&])&([^&]|$)/);
        expect(tools, name).toContain(command.trim().split(/\s+/)[0]);
      }
    }
    const url = (services.elasticsearch!.healthcheck!.test as string[]).find((a) => a.includes('://'));
    expect(url).toBe('http://localhost:9200/_cluster/health?wait_for_status=yellow&timeout=5s');
  });

  it('restarts the API and the worker after a failed start, and starts them once their dependencies are healthy', () => {
    for (const name of ['api', 'worker']) {
      const service = services[name]!;
      expect(service.restart, name).toBe('on-failure');
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(condition).toBe('service_healthy');
        expect(services[dependency]!.healthcheck, dependency).toBeDefined();
      }
      expect(Object.keys(service.depends_on ?? {}).sort()).toEqual([
        'clickhouse',
        'elasticsearch',
        'neo4j',
        'postgres',
        'redis',
      ]);
    }
  });
});

describe('docker-compose.yml: the signing secrets key', () => {
  it('passes no default SECRETS_KEY: Compose stops until one is set, rather than sealing under a public key', () => {
    const text = readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8');
    const value = services.api!.environment!.SECRETS_KEY!;
    // `${VAR:?message}`: Compose refuses to start when VAR is unset or empty.
    expect(value).toMatch(/^\$\{SECRETS_KEY:\?[^}]+\}$/);
    expect(text).not.toMatch(/SECRETS_KEY:-/);
    // The worker shares the API's environment (the `app-env` anchor).
    expect(text).toMatch(/worker:[\s\S]*<<: \*app-env/);
  });
});

describe('docker-compose.yml: Prometheus and Grafana', () => {
  const scrape = parse(
    readFileSync(new URL('../../ops/prometheus/prometheus.yml', import.meta.url), 'utf8'),
  ) as {
    rule_files: string[];
    scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
  };
  const targets = (job: string) =>
    scrape.scrape_configs.find((c) => c.job_name === job)!.static_configs.flatMap((c) => c.targets);
  /** A bind mount's host path and container path. */
  const mounts = (service: string) =>
    (services[service]!.volumes ?? [])
      .filter((v) => v.startsWith('./'))
      .map((v) => {
        const [host, container] = v.split(':') as [string, string];
        return { host: new URL(`../../${host.slice(2)}`, import.meta.url), container };
      });

  it('scrapes the API on its port and every worker process on METRICS_PORT + its slot', () => {
    expect(targets('media-discovery-api')).toEqual([`api:${services.api!.environment?.PORT ?? 3000}`]);
    const worker = services.worker!.environment!;
    const base = Number(worker.METRICS_PORT);
    expect(base).toBeGreaterThan(0);
    const slots = Array.from(
      { length: Number(worker.WORKER_PROCESSES) },
      (_, slot) => `worker:${base + slot}`,
    );
    expect(targets('media-discovery-worker')).toEqual(slots);
    // The API runs no workers in Compose: their series come only from the worker targets.
    expect(services.api!.environment!.RUN_WORKERS).toBe('false');
  });

  it('mounts the shipped configuration where each image reads it', () => {
    const prometheus = mounts('prometheus');
    expect(prometheus.map((m) => m.container)).toEqual(['/etc/prometheus']);
    expect(services.prometheus!.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
    expect(existsSync(new URL('prometheus.yml', `${prometheus[0]!.host.href}/`))).toBe(true);
    for (const pattern of scrape.rule_files) {
      const dir = new URL(pattern.slice(0, pattern.lastIndexOf('/') + 1), `${prometheus[0]!.host.href}/`);
      expect(readdirSync(dir).filter((f) => f.endsWith('.yml')).length, pattern).toBeGreaterThan(0);
    }
    const grafana = Object.fromEntries(mounts('grafana').map((m) => [m.container, m.host]));
    expect(Object.keys(grafana).sort()).toEqual(['/etc/grafana/dashboards', '/etc/grafana/provisioning']);
    const provider = parse(
      readFileSync(
        new URL('dashboards/media-discovery.yml', `${grafana['/etc/grafana/provisioning']!.href}/`),
        'utf8',
      ),
    ) as { providers: { options: { path: string } }[] };
    expect(provider.providers[0]!.options.path).toBe('/etc/grafana/dashboards');
    expect(existsSync(new URL('media-discovery.json', `${grafana['/etc/grafana/dashboards']!.href}/`))).toBe(
      true,
    );
    expect(services.grafana!.depends_on).toEqual({ prometheus: { condition: 'service_healthy' } });
  });
});

describe('.github/workflows/engines.yml', () => {
  const workflow = parse(
    readFileSync(new URL('../../.github/workflows/engines.yml', import.meta.url), 'utf8'),
  ) as {
    jobs: {
      contract: {
        services: Record<string, { image: string; options?: string }>;
        env: Record<string, string>;
        steps: { run?: string }[];
      };
    };
  };
  const job = workflow.jobs.contract;
  const scripts = (require('../../package.json') as { scripts: Record<string, string> }).scripts;

  it('runs every contract suite against service containers of the images Compose and testcontainers use', () => {
    expect(job.services.elasticsearch!.image).toBe(TEST_IMAGES.elasticsearch);
    expect(job.services.neo4j!.image).toBe(TEST_IMAGES.neo4j);
    for (const name of ['postgres', 'redis', 'clickhouse']) {
      expect(job.services[name]!.image).toBe(services[name]!.image);
    }
    // Docker runs --health-cmd through a shell: the URL's `&` has to be quoted there.
    expect(unquoted(job.services.elasticsearch!.options!)).not.toMatch(/(^|[^&])&([^&]|$)/);
    expect(Object.keys(job.env)).toEqual(
      expect.arrayContaining([
        'DATABASE_URL',
        'REDIS_URL',
        'ELASTICSEARCH_URL',
        'NEO4J_URL',
        'NEO4J_PASSWORD',
        'CLICKHOUSE_URL',
      ]),
    );
    expect(job.steps.map((s) => s.run)).toContain('npm run test:contract');
    expect(scripts['test:contract']).toBe('vitest run test/contract');
  });
});
