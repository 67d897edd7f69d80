import { readFile } from 'node:fs/promises';
import openapiTS, { astToString } from 'openapi-typescript';

export const SPEC_URL = new URL('../../openapi/openapi.json', import.meta.url);
export const CLIENT_SCHEMA_URL = new URL('../../openapi/client/src/schema.d.ts', import.meta.url);

const HEADER = `/**
 * Generated from openapi/openapi.json by openapi-typescript (npm run openapi:client).
 * Do not edit: a test fails when it differs from what the spec generates.
 */

`;

/** The client's types, as openapi-typescript makes them from the committed spec. */
export async function clientSchemaSource(specUrl: URL = SPEC_URL): Promise<string> {
  const spec = await readFile(specUrl, 'utf8');
  const ast = await openapiTS(spec, {
    // Request fields with a default may be left out: the server fills them in. (Responses always
    // carry them, and the spec marks them required there.)
    defaultNonNullable: false,
    silent: true,
  });
  return HEADER + astToString(ast);
}
