import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../store/db.js';
import { migrate } from '../../store/migrate.js';
import { TEST_IMAGES, dockerAvailable } from './docker.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A Postgres server URL (admin database), or null to run on PGlite. */
    postgresUrl: string | null;
    /** A migrated database that each suite clones with CREATE DATABASE ... TEMPLATE. */
    postgresTemplate: string | null;
    redisUrl: string | null;
    elasticsearchUrl: string | null;
    /** A Neo4j server (bolt or neo4j URL), or null when none runs. */
    neo4jUrl: string | null;
    neo4jAuth: { user: string; password: string };
    backends: string[];
  }
}

type Stop = () => Promise<unknown>;

/**
 * Picks the real backends the suites run against: env vars first, then testcontainers where a
 * Docker engine exists, else embedded PGlite (and no Redis). Says plainly what ran and what did not.
 */
export default async function setup(project: TestProject): Promise<Stop> {
  const stops: Stop[] = [];
  const report: string[] = [];
  const docker =
    process.env.DATABASE_URL &&
    process.env.REDIS_URL &&
    process.env.ELASTICSEARCH_URL &&
    process.env.NEO4J_URL
      ? false
      : await dockerAvailable();

  let postgresUrl = process.env.DATABASE_URL || null;
  if (postgresUrl) report.push('Postgres: server at DATABASE_URL');
  else if (docker) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const c = await new PostgreSqlContainer(TEST_IMAGES.postgres).start();
    stops.push(() => c.stop());
    postgresUrl = c.getConnectionUri();
    report.push(`Postgres: testcontainers (${TEST_IMAGES.postgres})`);
  } else report.push('Postgres: embedded PGlite (no DATABASE_URL, no Docker engine): server path SKIPPED');

  let redisUrl = process.env.REDIS_URL || null;
  if (redisUrl) report.push('Redis/BullMQ: server at REDIS_URL');
  else if (docker) {
    const { RedisContainer } = await import('@testcontainers/redis');
    const c = await new RedisContainer(TEST_IMAGES.redis).start();
    stops.push(() => c.stop());
    redisUrl = c.getConnectionUrl();
    report.push(`Redis/BullMQ: testcontainers (${TEST_IMAGES.redis})`);
  } else
    report.push('Redis/BullMQ: SKIPPED (no REDIS_URL, no Docker engine); the in-process queue ran instead');

  let elasticsearchUrl = process.env.ELASTICSEARCH_URL || null;
  if (elasticsearchUrl) report.push('Elasticsearch: server at ELASTICSEARCH_URL');
  else if (docker) {
    const { GenericContainer, Wait } = await import('testcontainers');
    const c = await new GenericContainer(TEST_IMAGES.elasticsearch)
      .withEnvironment({
        'discovery.type': 'single-node',
        'xpack.security.enabled': 'false',
        ES_JAVA_OPTS: '-Xms512m -Xmx512m',
      })
      .withExposedPorts(9200)
      .withWaitStrategy(Wait.forHttp('/_cluster/health?wait_for_status=yellow', 9200))
      .withStartupTimeout(180_000)
      .start();
    stops.push(() => c.stop());
    elasticsearchUrl = `http://${c.getHost()}:${c.getMappedPort(9200)}`;
    report.push(`Elasticsearch: testcontainers (${TEST_IMAGES.elasticsearch})`);
  } else
    report.push(
      'Elasticsearch: SKIPPED (no ELASTICSEARCH_URL, no Docker engine): its contract suite did not run',
    );

  let neo4jUrl = process.env.NEO4J_URL || null;
  let neo4jAuth = { user: process.env.NEO4J_USER || 'neo4j', password: process.env.NEO4J_PASSWORD || '' };
  if (neo4jUrl) report.push('Neo4j: server at NEO4J_URL');
  else if (docker) {
    const { Neo4jContainer } = await import('@testcontainers/neo4j');
    const c = await new Neo4jContainer(TEST_IMAGES.neo4j).withStartupTimeout(180_000).start();
    stops.push(() => c.stop());
    neo4jUrl = c.getBoltUri();
    neo4jAuth = { user: c.getUsername(), password: c.getPassword() };
    report.push(`Neo4j: testcontainers (${TEST_IMAGES.neo4j})`);
  } else report.push('Neo4j: SKIPPED (no NEO4J_URL, no Docker engine): its contract suite did not run');

  // No testcontainer: CI starts Debian's ClickHouse and sets CLICKHOUSE_URL; the suites check it answers.
  report.push(
    process.env.CLICKHOUSE_URL
      ? 'ClickHouse: server at CLICKHOUSE_URL'
      : 'ClickHouse: SKIPPED (no CLICKHOUSE_URL): the analytics store suites on ClickHouse did not run',
  );

  let postgresTemplate: string | null = null;
  if (postgresUrl) {
    postgresTemplate = `mdisc_tpl_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${postgresTemplate}`);
    await admin.end();
    const db = await openDatabase({ url: withDatabase(postgresUrl, postgresTemplate), poolSize: 1 });
    await migrate(db);
    await db.close();
    stops.push(() => dropDatabases(postgresUrl, postgresTemplate!));
  }

  console.log(`\nTest backends:\n  - ${report.join('\n  - ')}\n`);
  project.provide('postgresUrl', postgresUrl);
  project.provide('postgresTemplate', postgresTemplate);
  project.provide('redisUrl', redisUrl);
  project.provide('elasticsearchUrl', elasticsearchUrl);
  project.provide('neo4jUrl', neo4jUrl);
  project.provide('neo4jAuth', neo4jAuth);
  project.provide('backends', report);

  return async () => {
    for (const stop of stops.reverse()) await stop();
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Drops the template and any suite database cloned from it that a crashed run left behind. */
async function dropDatabases(url: string, template: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`,
    [template, `${template}_%`],
  );
  for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  await admin.end();
}
