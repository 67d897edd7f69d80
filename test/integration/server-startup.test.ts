import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { freePort, killProcess, spawnService } from '../support/processes.js';

describe('npm start', () => {
  it('says what it is doing while it starts, then where the API, the UI and the docs are', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mdisc-startup-'));
    const port = await freePort();
    const child = spawnService(
      'api/server.ts',
      { PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info' },
      ['ignore', 'pipe', 'inherit'],
    );
    try {
      const messages: string[] = [];
      await new Promise<void>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`the server exited (${code}) before it was ready`)));
        createInterface({ input: child.stdout! }).on('line', (line) => {
          const { msg } = JSON.parse(line) as { msg: string };
          messages.push(msg);
          if (msg.startsWith('media discovery service ready')) resolve();
        });
      });
      expect(messages[0]).toBe(`starting: opening embedded PGlite at ${dataDir} and running migrations`);
      expect(messages).toContainEqual(
        expect.stringMatching(/^database open after \d+\.\d s; building the API$/),
      );
      // HOST defaults to every interface: the line gives an address a browser opens.
      const base = `http://localhost:${port}`;
      // Lines may follow it (the workers start after the server listens): the ready line is found, not last.
      expect(messages.find((m) => m.startsWith('media discovery service ready'))).toBe(
        `media discovery service ready: API ${base}, web UI ${base}/ui, API docs ${base}/docs (embedded PGlite at ${dataDir}, in-process queue)`,
      );
    } finally {
      await killProcess(child);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
