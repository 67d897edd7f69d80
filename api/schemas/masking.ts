import { z } from 'zod';
import { TOKEN_PATTERN } from '../../domain/masking.js';

export const TokenParams = z.object({
  token: z.string().regex(TOKEN_PATTERN, 'must be a token: tok_ and 32 hexadecimal digits'),
});

export const ResolvedTokenSchema = z
  .object({
    token: z.string(),
    value: z.string().describe('The value the token stands for.'),
    createdAt: z.iso.datetime().describe('When the value was first masked.'),
  })
  .meta({ id: 'ResolvedToken' });
