import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ValidationError } from '../../domain/errors.js';

/**
 * How deep and how large a JSON body may be. No route nests deeper than a few levels; the largest
 * body, a batch of 1,000 assets, holds far fewer values. JSON.parse has no such bounds: 5 million
 * nested brackets (10 MB) held the event loop for seconds, for every tenant.
 */
export const JSON_LIMITS = { depth: 32, values: 500_000 } as const;

/** The body limit of a route that does not take assets or gazetteers: BODY_LIMIT_BYTES is for those. */
export const SMALL_BODY_LIMIT_BYTES = 1024 * 1024;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes bodies up to BODY_LIMIT_BYTES; others take at most SMALL_BODY_LIMIT_BYTES. */
    largeBody?: boolean;
  }
  interface FastifyRequest {
    /**
     * The JSON body's text held no `\u` escape. Its strings then hold no NUL and no lone surrogate
     * (JSON refuses raw control characters, and decoding UTF-8 makes none), so the text checks
     * (text-checks.ts) need not walk it: for a batch of 1,000 events that walk cost more than parsing.
     */
    jsonWithoutEscapes?: boolean;
  }
}

/**
 * What is wrong with the shape of JSON text, or null: nesting deeper than `depth`, or more than
 * `values` array elements and object members. One pass over the text, skipping strings, with no
 * allocation: cheap enough to run before JSON.parse on every body.
 */
export function jsonShapeProblem(text: string, limits: { depth: number; values: number }): string | null {
  let depth = 0;
  let values = 0;
  for (let i = 0; i < text.length; i++) {
    switch (text.charCodeAt(i)) {
      case 0x22: // a string: skip to its closing quote, past escapes
        for (i++; i < text.length; i++) {
          const c = text.charCodeAt(i);
          if (c === 0x5c) i++;
          else if (c === 0x22) break;
        }
        break;
      case 0x5b: // [
      case 0x7b: // {
        if (++depth > limits.depth) return `nested deeper than ${limits.depth} levels`;
        break;
      case 0x5d: // ]
      case 0x7d: // }
        depth--;
        break;
      case 0x2c: // , between two values
        if (++values >= limits.values) return `more than ${limits.values} values`;
        break;
    }
  }
  return null;
}

/**
 * JSON bodies are checked for their shape (JSON_LIMITS) before they are parsed, then parsed by
 * Fastify's own parser (prototype poisoning refused). Too deep or too large answers 400. Routes
 * not marked `largeBody` read at most SMALL_BODY_LIMIT_BYTES (413 past it).
 */
export default fp(
  (app: FastifyInstance) => {
    const smallLimit = Math.min(SMALL_BODY_LIMIT_BYTES, app.initialConfig.bodyLimit ?? Infinity);
    app.addHook('onRoute', (route) => {
      if (route.bodyLimit === undefined && !route.config?.largeBody) route.bodyLimit = smallLimit;
    });
    app.decorateRequest('jsonWithoutEscapes', false);
    const parse = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
      const problem = jsonShapeProblem(body as string, JSON_LIMITS);
      if (problem) return done(new ValidationError(`body: ${problem}`), undefined);
      req.jsonWithoutEscapes = !(body as string).includes('\\u');
      return parse(req, body as string, done);
    });
  },
  { name: 'json-body' },
);
