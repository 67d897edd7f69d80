import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, inject } from 'vitest';
import { cloneTemplateDatabase } from '../support/database.js';
import { freePort, processTree, running, waitFor } from '../support/processes.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The exec-form CMD of the Dockerfile, or a service's `command` in docker-compose.yml. */
function dockerfileCmd(): string[] {
  const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(root, 'Dockerfile'), 'utf8'));
  if (!cmd) throw new Error('the Dockerfile has no exec-form CMD');
  return JSON.parse(cmd[1]!) as string[];
}
function composeCommand(service: string): string[] {
  const compose = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
  const block = compose.slice(compose.indexOf(`\n  ${service}:\n`));
  const command = /\n {4}command: (\[.*\])\n/.exec(block);
  if (!command) throw new Error(`docker-compose.yml gives ${service} no command`);
  return JSON.parse(command[1]!.replaceAll("'", '"')) as string[];
}

/** Starts a command with only what the service reads, plus what npm needs; `up` turns true on a log line starting with `ready`. */
function start(command: string[], env: Record<string, string>, ready: string) {
  const child = spawn(command[0]!, command.slice(1), {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let up = false;
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.includes(`"msg":"${ready}`)) up = true;
  });
  return { child, up: () => up };
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/**
 * SIGTERM to the command a deployment runs (docker stop sends it to the container's first process)
 * must stop the service itself, not just the wrapper: issue 18, item 11. `npm start` used to run
 * `sh -c "tsx api/server.ts"`; npm passed the signal to the shell, which died and left tsx and the
 * server running, still answering on the port.
 */
async function expectStopsOnSigterm(child: ChildProcess, up: () => boolean): Promise<number[]> {
  let tree: number[] = [];
  try {
    await waitFor('the service to start', () => Promise.resolve(child.exitCode !== null || up()), {
      timeoutMs: 90_000,
      intervalMs: 200,
    });
    expect(child.exitCode).toBeNull();
    tree = processTree(child.pid!);
    child.kill('SIGTERM');
    await waitFor(
      'every process of the command to exit',
      () => Promise.resolve(tree.every((pid) => !running(pid))),
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    return tree;
  } finally {
    for (const pid of tree.length > 0 ? tree : [child.pid!]) {
      if (running(pid)) process.kill(pid, 'SIGKILL');
    }
  }
}

describe('the start commands, as the README, the Dockerfile and docker-compose.yml run them', () => {
  const api: [string, () => string[]][] = [
    ['npm start (README)', () => ['npm', 'start']],
    ['the Dockerfile CMD', dockerfileCmd],
  ];
  it.each(api)(
    '%s: SIGTERM closes the port and ends the whole process tree',
    async (_name, command) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'mdisc-start-'));
      const port = await freePort();
      try {
        const { child, up } = start(
          command(),
          { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir },
          'media discovery service ready',
        );
        expect(await expectStopsOnSigterm(child, up)).not.toEqual([]);
        expect(await listening(port)).toBe(false);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    150_000,
  );

  const redisUrl = inject('redisUrl');
  const servers = Boolean(inject('postgresUrl') && redisUrl);
  if (!servers) console.info('worker start commands SKIPPED: a worker needs a Postgres server and Redis');
  const workers: [string, () => string[]][] = [
    ['npm run worker', () => ['npm', 'run', 'worker']],
    ['the worker command of docker-compose.yml', () => composeCommand('worker')],
  ];
  it.skipIf(!servers).each(workers)(
    '%s: SIGTERM ends the whole process tree',
    async (_name, command) => {
      const database = await cloneTemplateDatabase();
      try {
        const { child, up } = start(
          command(),
          { DATABASE_URL: database.url, REDIS_URL: redisUrl!, QUEUE_PREFIX: `start-${process.pid}` },
          'worker ready',
        );
        expect(await expectStopsOnSigterm(child, up)).not.toEqual([]);
      } finally {
        await database.drop();
      }
    },
    150_000,
  );
});
