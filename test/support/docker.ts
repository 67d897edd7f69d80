import { existsSync } from 'node:fs';

/**
 * The server images testcontainers starts, the same as docker-compose.yml's
 * (test/unit/compose-file.test.ts holds them together). Elasticsearch must be of the client's major
 * and at least its minor: `@elastic/elasticsearch` 9 sends `compatible-with=9` on every request,
 * which an 8.x server refuses with 400 `media_type_header_exception`.
 */
export const TEST_IMAGES = {
  postgres: 'postgres:16-alpine',
  redis: 'redis:7-alpine',
  elasticsearch: 'docker.elastic.co/elasticsearch/elasticsearch:9.4.4',
  neo4j: 'neo4j:5-community',
} as const;

/**
 * Whether a Docker engine answers, so testcontainers can start servers. Checked without
 * testcontainers first: with no socket and no DOCKER_HOST there is nothing to ask.
 */
export async function dockerAvailable(): Promise<boolean> {
  if (!process.env.DOCKER_HOST && !existsSync('/var/run/docker.sock')) return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}
