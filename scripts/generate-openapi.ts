/** Regenerates openapi/openapi.json from the route schemas: npm run openapi */
import { writeFile } from 'node:fs/promises';
import { buildApp } from '../api/app.js';
import { openApiDocument } from '../api/openapi-document.js';
import { loadConfig } from '../runtime/config.js';
import { createContainer } from '../runtime/container.js';
import { openDatabase } from '../store/db.js';

async function main(): Promise<void> {
  const container = await createContainer(loadConfig({ LOG_LEVEL: 'silent' }), {
    db: await openDatabase({ dataDir: 'memory://' }),
  });
  const app = await buildApp(container);
  const path = new URL('../openapi/openapi.json', import.meta.url);
  await writeFile(path, await openApiDocument(app));
  await app.close();
  await container.close();
  console.log(`wrote ${path.pathname}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
