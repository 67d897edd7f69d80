import type { ParseArgsConfig } from 'node:util';
import type { z } from 'zod';
import { CliError, describeIssues, parseCli } from './cli.js';

/** The command line's options, checked by `schema`: a bad one is a CliError naming it, with the usage. */
export function parsedArgs<S extends z.ZodType>(
  schema: S,
  usage: string,
  options: NonNullable<ParseArgsConfig['options']>,
): z.infer<S> {
  const { values } = parseCli(usage, options);
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    throw new CliError(`${describeIssues(parsed.error.issues)}; usage: ${usage}`);
  }
  return parsed.data;
}
