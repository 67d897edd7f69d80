import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/processes.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const KEY = 'a-key-of-sixteen-characters';

/** Runs a script as `npm run` does, with none of the test run's service variables. */
function run(script: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `scripts/${script}`, ...args], {
      cwd: root,
      env: { PATH: process.env.PATH, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Exit 1 and one line on stderr, `error: …`, with no stack. */
function expectOneLineFailure(result: { code: number | null; stderr: string }, pattern: RegExp) {
  expect(result.code).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

describe('the CLIs say what failed and what to do', () => {
  let closedPort: number;
  /** A stand-in API that answers every request with the status in the path's first segment. */
  let api: Server;
  let apiUrl: string;

  beforeAll(async () => {
    closedPort = await freePort();
    api = createServer((req, res) => {
      const status = Number(req.headers['x-status'] ?? /^\/(\d{3})/.exec(req.url ?? '')?.[1] ?? 500);
      res.writeHead(status, { 'content-type': 'application/problem+json' });
      res.end(
        JSON.stringify({ type: 'about:blank', title: 'refused', status, detail: `answered ${status}` }),
      );
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(api.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => api.close(() => resolve())));

  it.each([
    ['import-ted.ts', ['--key', KEY]],
    ['generate-library.ts', ['--assets', '10', '--key', KEY, '--url']],
  ])('%s: the API not listening', async (script, args) => {
    const url = `http://127.0.0.1:${closedPort}`;
    const result = await run(script, script === 'import-ted.ts' ? [...args, '--url', url] : [...args, url]);
    expectOneLineFailure(
      result,
      new RegExp(
        `cannot reach the API at ${url} \\(connection refused\\): start it with "npm start", or pass --url`,
      ),
    );
  });

  it.each([
    ['import-ted.ts', ['--key', KEY]],
    ['generate-library.ts', ['--assets', '10', '--key', KEY]],
  ])('%s looks for the API on PORT when no --url is given', async (script, args) => {
    const result = await run(script, args, { PORT: String(closedPort) });
    expectOneLineFailure(result, new RegExp(`http://localhost:${closedPort} \\(`));
    expect(result.stdout).toBe('');
  });

  it.each([
    ['../bench/related-generated.ts', ['--seeds', '1.5'], /--seeds must be a whole number, not "1\.5"/],
    ['../bench/related-generated.ts', ['--only', 'all'], /--only is load, time, drop, not "all"/],
    [
      '../bench/metrics-generated.ts',
      ['--stores', 'postgres,mysql'],
      /--stores is postgres, clickhouse, not "mysql"/,
    ],
    ['../bench/metrics-generated.ts', ['--database', 'x;drop'], /--database must be a plain name/],
  ])('%s %j: a bad option refused before it connects', async (script, args, pattern) => {
    expectOneLineFailure(await run(script, args), pattern);
  });

  it('gen: --out and --key together are refused, naming both', async () => {
    expectOneLineFailure(
      await run('generate-library.ts', ['--key', KEY, '--out', '/tmp/never.ndjson']),
      /--out writes NDJSON, --key and --url load through the API/,
    );
  });

  it('a key the API refuses (401), or one without the permission (403)', async () => {
    expectOneLineFailure(
      await run('import-ted.ts', ['--key', KEY, '--url', `${apiUrl}/401`]),
      /refused the key \(401: answered 401\): pass --key with the BOOTSTRAP_API_KEY/,
    );
    expectOneLineFailure(
      await run('generate-library.ts', ['--key', KEY, '--url', `${apiUrl}/403`]),
      /the key may not GET \/v1\/search \(403: answered 403\): use a key with the EDITOR or ADMIN role/,
    );
  });

  it('no key', async () => {
    expectOneLineFailure(await run('import-ted.ts', ['--url', apiUrl]), /no API key: pass --key/);
  });

  it('a missing file', async () => {
    expectOneLineFailure(
      await run('import-ted.ts', ['--key', KEY, '--file', '/nowhere/ted.csv']),
      /no file at \/nowhere\/ted\.csv: pass --file with the path/,
    );
  });

  it.each([
    ['import-ted.ts', ['--nope'], /Unknown option '--nope'; usage: npm run import:ted/],
    ['import-ted.ts', ['--key', KEY, '--limit', 'ten'], /--limit must be a whole number, not "ten"/],
    ['generate-library.ts', ['--assets', '-5'], /'--assets' argument is ambiguous\. .*--assets=-XYZ/],
    ['generate-library.ts', ['--assets=0'], /--assets must be between 1 and/],
    ['keys.ts', ['create', '--role', 'BOSS'], /--role: .*; usage: npm run keys/],
    ['keys.ts', ['delete'], /the commands are "create" and "revoke"/],
    ['drift.ts', ['--page-size', '0'], /--page-size: .*; usage: npm run drift/],
    ['reindex.ts', [], /--target: .*; usage: npm run reindex/],
    [
      'eval-relevance.ts',
      ['--collection', '/nowhere/CISI'],
      /no collection at \/nowhere\/CISI: .*pass --collection/,
    ],
    ['eval-enrichment.ts', ['--sample', 'x'], /--sample must be a whole number/],
    ['eval-blend.ts', ['--csv', '/nowhere.csv'], /no file at \/nowhere\.csv: pass --csv/],
  ])('%s %j: a bad flag', async (script, args, pattern) => {
    expectOneLineFailure(await run(script, args), pattern);
  });

  it('a database server not listening names the variable to correct', async () => {
    const result = await run('drift.ts', [], {
      DATABASE_URL: `postgres://postgres@127.0.0.1:${closedPort}/none`,
    });
    expectOneLineFailure(
      result,
      new RegExp(
        `cannot reach 127\\.0\\.0\\.1:${closedPort} \\(connection refused\\): .*correct DATABASE_URL`,
      ),
    );
  });

  it('--verbose adds the stack', async () => {
    const result = await run('import-ted.ts', ['--key', KEY, '--url', `${apiUrl}/401`, '--verbose']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^\s+at /m);
  });
});

describe('the loaders keep the synthetic library and real assets in separate tenants', () => {
  /** A stand-in API whose tenant holds the sources the path's first segment names (ted, synthetic). */
  let api: Server;
  let apiUrl: string;
  const posted: string[] = [];

  beforeAll(async () => {
    api = createServer((req, res) => {
      const holds = /^\/(\w+)\//.exec(req.url ?? '')?.[1];
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.method === 'POST') {
        posted.push(req.url ?? '');
        let body = '';
        req.on('data', (d: Buffer) => (body += d.toString()));
        req.on('end', () => {
          const { assets } = JSON.parse(body) as { assets: unknown[] };
          res.end(JSON.stringify({ created: assets.length, duplicates: 0, items: [] }));
        });
        return;
      }
      const sourceSystem =
        holds === 'ted'
          ? [{ value: 'ted', count: 2550 }]
          : holds === 'synthetic'
            ? [{ value: 'synthetic-cms', count: 300 }]
            : [];
      res.end(JSON.stringify({ hits: [], facets: { sourceSystem } }));
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(api.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => api.close(() => resolve())));

  it('gen refuses a tenant holding real assets, naming them and --mixed, and posts nothing', async () => {
    expectOneLineFailure(
      await run('generate-library.ts', ['--assets', '5', '--key', KEY, '--url', `${apiUrl}/ted`]),
      /the key's tenant holds real assets \(2550 from ted\) .*npm run keys -- create --tenant sample.*--mixed/,
    );
    expect(posted).toEqual([]);
  });

  it('import:ted refuses a tenant holding the synthetic library, and posts nothing', async () => {
    expectOneLineFailure(
      await run('import-ted.ts', ['--key', KEY, '--limit', '5', '--url', `${apiUrl}/synthetic`]),
      /the key's tenant holds 300 synthetic assets \(npm run gen\).*use a key of another tenant/,
    );
    expect(posted).toEqual([]);
  });

  it.each([
    ['import-ted.ts', ['--limit', '5'], '5 talks accepted'],
    ['generate-library.ts', ['--assets', '5'], '5 assets accepted'],
  ])(
    '%s says, once loaded, that search finds each asset once enriched, and where to follow it',
    async (script, args, said) => {
      const result = await run(script, [...args, '--key', KEY, '--url', `${apiUrl}/empty`]);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout.trim().split('\n').at(-1)!)).toMatchObject({
        total: 5,
        posted: 5,
        created: 5,
        duplicates: 0,
        failed: 0,
      });
      expect(result.stderr.trim().split('\n').at(-1)).toBe(
        `${said}; search finds each once it is enriched: follow it at ${apiUrl}/empty/ui/#/imports, or GET ${apiUrl}/empty/v1/pipeline/status until "idle" is true`,
      );
    },
  );
});
