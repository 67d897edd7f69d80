/** Regenerates openapi/client/src/schema.d.ts from openapi/openapi.json: npm run openapi:client */
import { writeFile } from 'node:fs/promises';
import { CLIENT_SCHEMA_URL, clientSchemaSource } from './lib/client-schema.js';

async function main(): Promise<void> {
  await writeFile(CLIENT_SCHEMA_URL, await clientSchemaSource());
  console.log(`wrote ${CLIENT_SCHEMA_URL.pathname}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
