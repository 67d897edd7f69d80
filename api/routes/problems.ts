import type { FastifyPluginCallback } from 'fastify';
import { NotFoundError } from '../../domain/errors.js';
import { PROBLEM_TYPES, problemTypeUri, type ProblemTypeSlug } from '../problem-types.js';

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`).replace(/`([^`]+)`/g, '<code>$1</code>');

const page = (title: string, body: string) =>
  `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>\n<body>\n${body}\n</body></html>\n`;

const section = (slug: ProblemTypeSlug, heading: 'h1' | 'h2') => {
  const t = PROBLEM_TYPES[slug];
  return (
    `<${heading} id="${slug}">${slug}</${heading}>\n` +
    `<p><code>type: "${problemTypeUri(slug)}"</code>, status ${t.status}, title "${escape(t.title)}"</p>\n` +
    `<p>${escape(t.description)}</p>`
  );
};

/**
 * The documentation of each problem type, where a problem's `type` points (`/problems/<slug>`):
 * public, plain HTML, not in the OpenAPI document (it is not an API operation). Also docs/problems.md.
 */
const problemRoutes: FastifyPluginCallback = (app, _opts, done) => {
  const slugs = Object.keys(PROBLEM_TYPES) as ProblemTypeSlug[];
  app.get('/problems', { schema: { hide: true } }, (_req, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .send(
        page(
          'Problem types',
          '<h1>Problem types</h1>\n<p>Every error answer of the API is an RFC 9457 problem ' +
            '(<code>application/problem+json</code>); its <code>type</code> links here.</p>\n' +
            slugs.map((s) => section(s, 'h2')).join('\n'),
        ),
      ),
  );
  app.get<{ Params: { slug: string } }>('/problems/:slug', { schema: { hide: true } }, (req, reply) => {
    const slug = req.params.slug as ProblemTypeSlug;
    if (!Object.hasOwn(PROBLEM_TYPES, slug)) throw new NotFoundError(`no problem type ${req.params.slug}`);
    return reply
      .type('text/html; charset=utf-8')
      .send(
        page(
          `Problem type ${slug}`,
          `${section(slug, 'h1')}\n<p><a href="/problems">All problem types</a></p>`,
        ),
      );
  });
  done();
};

export default problemRoutes;
