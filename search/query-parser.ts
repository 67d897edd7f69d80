import { ValidationError } from '../domain/errors.js';

/** A parsed search query: what to rank by, what must appear together, and what must not appear. */
export interface ParsedQuery {
  /** All positive words (plain and inside phrases), for ranking. */
  text: string;
  /** Each must match as a phrase. */
  phrases: string[];
  /** Words or phrases a hit must not contain. */
  exclusions: string[];
}

const MAX_QUERY_LENGTH = 4_000;
const MAX_CLAUSES = 512;

/**
 * Plain words, "quoted phrases" and -exclusions (-word or -"a phrase"). Bad syntax throws a
 * ValidationError naming the problem, so the API answers 400 rather than guessing.
 */
export function parseQuery(raw: string): ParsedQuery {
  if (raw.length > MAX_QUERY_LENGTH)
    throw new ValidationError(`query is longer than ${MAX_QUERY_LENGTH} characters`, { field: 'q' });
  if ((raw.match(/"/g) ?? []).length % 2 === 1) {
    throw new ValidationError('query has an unclosed quote (")', { field: 'q' });
  }
  const words: string[] = [];
  const phrases: string[] = [];
  const exclusions: string[] = [];
  let clauses = 0;
  for (const m of raw.matchAll(/(-?)"([^"]*)"|(\S+)/g)) {
    if (++clauses > MAX_CLAUSES)
      throw new ValidationError(`query has more than ${MAX_CLAUSES} terms`, { field: 'q' });
    if (m[2] !== undefined) {
      const phrase = m[2].trim();
      if (!phrase) continue;
      if (m[1]) exclusions.push(phrase);
      else {
        phrases.push(phrase);
        words.push(phrase);
      }
      continue;
    }
    const token = m[3]!;
    if (token.startsWith('-') && token.length > 1) exclusions.push(token.slice(1));
    else if (token !== '-') words.push(token);
  }
  return { text: words.join(' '), phrases, exclusions };
}
