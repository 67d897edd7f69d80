import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { z } from 'zod';

/** The command line's options, checked by `schema`: a bad one throws, naming it. */
export function parsedArgs<S extends z.ZodType>(schema: S, options: ParseArgsConfig['options']): z.infer<S> {
  const { values } = parseArgs({ options });
  const parsed = schema.safeParse(values);
  if (!parsed.success)
    throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}
