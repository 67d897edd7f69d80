/**
 * Writes the web UI as static files to ui/dist/ (index.html, app.js, app.css): npm run build:ui.
 * The API does not need them: it bundles the UI in memory on the first request to /ui.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { bundleUi } from '../api/plugins/ui.js';

async function main(): Promise<void> {
  const dir = new URL('../ui/dist/', import.meta.url);
  await mkdir(dir, { recursive: true });
  for (const file of await bundleUi()) await writeFile(new URL(file.name, dir), file.body);
  console.log(`wrote ${dir.pathname}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
