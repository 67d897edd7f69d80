/**
 * Fails when the current contract breaks clients of the released one:
 *   npm run openapi:breaking [-- <released.json> <current.json>]
 * Defaults: openapi/released/v1.json against openapi/openapi.json. The rules are in
 * lib/openapi-breaking.ts; the release process in openapi/README.md.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { breakingChanges } from './lib/openapi-breaking.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

async function load(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
}

const operations = (doc: Record<string, unknown>) =>
  Object.entries((doc.paths ?? {}) as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((m) => METHODS.includes(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );

async function main(): Promise<void> {
  const root = new URL('..', import.meta.url).pathname;
  const [
    releasedPath = resolve(root, 'openapi/released/v1.json'),
    currentPath = resolve(root, 'openapi/openapi.json'),
  ] = process.argv.slice(2);
  const released = await load(releasedPath);
  const current = await load(currentPath);
  const breaks = breakingChanges(released, current);
  if (breaks.length > 0) {
    console.error(`${breaks.length} breaking change(s) from ${releasedPath} to ${currentPath}:`);
    for (const b of breaks) console.error(`  - ${b}`);
    console.error(
      '\nClients of the released contract would break. Make the change compatible (optional fields, new ' +
        'operations), or publish it under a new major version (/v2); see openapi/README.md.',
    );
    process.exit(1);
  }
  const before = new Set(operations(released));
  const added = operations(current).filter((op) => !before.has(op));
  console.log(
    `no breaking changes from ${releasedPath} to ${currentPath}` +
      (added.length > 0 ? `; ${added.length} operation(s) added: ${added.join(', ')}` : ''),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
