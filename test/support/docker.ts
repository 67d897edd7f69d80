import { existsSync } from 'node:fs';

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
