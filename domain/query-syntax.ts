/**
 * How a search query's text is read. `query`: phrases, exclusions and field:value filters are
 * syntax where they are well-formed, the rest words (search/query-parser.ts). `plain`: every word ranks, quotes, minus signs and colons included (text nobody wrote as a
 * query: prose, a pasted title, a question).
 */
export const QUERY_SYNTAXES = ['query', 'plain'] as const;
export type QuerySyntax = (typeof QUERY_SYNTAXES)[number];

/** Notes on how a query was read (`queryNotes`) kept at most: the parser keeps the first ones. */
export const QUERY_NOTES_MAX = 20;
