import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ValidationError } from '../../domain/errors.js';

/**
 * Text Postgres cannot hold: NUL, which `text` refuses, and a lone UTF-16 surrogate (JSON allows
 * "\ud800"), which `jsonb` refuses and UTF-8 cannot encode.
 */
const UNSAFE: [(s: string) => boolean, string][] = [
  [(s) => s.includes('\u0000'), 'a NUL character (\\u0000)'],
  [(s) => /\p{Cs}/u.test(s), 'a lone surrogate (an unpaired \\ud800-\\udfff), which is not Unicode text'],
];

/** The first string (value or key) with unsafe text and where it is; iterative, so depth cannot overflow. */
function findUnsafe(root: unknown, location: string): { field: string; what: string } | null {
  const pending: [unknown, string][] = [[root, location]];
  const check = (s: string, field: string) => {
    const hit = UNSAFE.find(([holds]) => holds(s));
    return hit ? { field, what: hit[1] } : null;
  };
  while (pending.length > 0) {
    const [value, field] = pending.pop()!;
    if (typeof value === 'string') {
      const found = check(value, field);
      if (found) return found;
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        const found = check(k, `${field}.${k}`);
        if (found) return found;
        pending.push([v, `${field}.${k}`]);
      }
    }
  }
  return null;
}

/**
 * Text the database cannot hold would fail deep inside a query as a 500: it is refused up front, in
 * the path, the query string or the JSON body, as a 400 naming the field.
 */
export default fp(
  (app: FastifyInstance) => {
    app.addHook('preValidation', (req, _reply, done) => {
      const places = [
        ['path', req.params],
        ['querystring', req.query],
        ['body', req.body],
      ] as const;
      for (const [location, value] of places) {
        // A JSON body without escapes cannot hold either (json-body.ts).
        if (location === 'body' && req.jsonWithoutEscapes) continue;
        const found = findUnsafe(value, location);
        if (!found) continue;
        const message = `holds ${found.what}, which is not allowed`;
        const field = found.field.slice(location.length + 1) || '(root)';
        return done(
          new ValidationError(`${found.field} ${message}`, { errors: [{ location, field, message }] }),
        );
      }
      done();
    });
  },
  { name: 'text-checks' },
);
