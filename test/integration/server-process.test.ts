import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { spawnService } from '../support/processes.js';

describe('the server process', () => {
  it('on SIGTERM closes the API, the workers and the database in order, and exits 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mdisc-server-'));
    // Only what the service reads: no DATABASE_URL or REDIS_URL from the test run's environment.
    const child = spawnService(
      'api/server.ts',
      { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' },
      ['ignore', 'pipe', 'inherit'],
    );
    try {
      const messages: { msg: string; step?: string }[] = [];
      // 'close', not 'exit': its output has been read to the end too.
      const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
      const ready = new Promise<void>((resolve) => {
        createInterface({ input: child.stdout! }).on('line', (line) => {
          const entry = JSON.parse(line) as { msg: string; step?: string };
          messages.push(entry);
          if (entry.msg.startsWith('media discovery service ready')) resolve();
        });
      });
      await Promise.race([ready, exited]);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      // Tracing last (a no-op with it off): the spans of the closing steps are still exported.
      expect(messages.filter((m) => m.msg === 'closed').map((m) => m.step)).toEqual([
        'http',
        'container',
        'tracing',
      ]);
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
