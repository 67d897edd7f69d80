import { readFileSync } from 'node:fs';
import { lintCypherQuery, testData, type DbSchema } from '@neo4j-cypher/language-support';
import { describe, expect, it } from 'vitest';
import { CYPHER, PATH_LENGTHS, SCHEMA, shortestPath } from '../../graph/cypher.js';

// Neo4j's own parser and semantic analysis (the language server's, compiled to JavaScript), against
// the graph the adapter writes. Any diagnostic fails: errors, and warnings such as a deprecated
// syntax, an unknown label, property or parameter, or a relationship pointing the wrong way.

// The built-in functions of Neo4j 5 (the package's recorded catalogue), so that an unknown function is an error.
const builtInFunctions = Object.fromEntries(
  Object.entries(testData.mockSchema.functions?.['CYPHER 5'] ?? {}).filter(([, f]) => f.isBuiltIn),
);

const dbSchema: DbSchema = {
  labels: ['Asset', 'Entity', 'TenantStats'],
  relationshipTypes: ['HAS_ENTITY', 'RELATED_TO', 'CO_VIEWED'],
  propertyKeys: [
    'tenantId',
    'id',
    'version',
    'createdAt',
    'type',
    'key',
    'name',
    'assetCount',
    'weight',
    'moments',
    'note',
    'sessions',
    'score',
    'popularity',
    'trending',
    'popularityAt',
    'assetId',
    'computedAt',
  ],
  graphSchema: [
    { from: 'Asset', to: 'Entity', relType: 'HAS_ENTITY' },
    { from: 'Asset', to: 'Asset', relType: 'RELATED_TO' },
    { from: 'Asset', to: 'Asset', relType: 'CO_VIEWED' },
  ],
  functions: { 'CYPHER 5': builtInFunctions },
  defaultLanguage: 'CYPHER 5',
  // The parameters the adapter passes; a misspelt one is an error.
  parameters: {
    tenantId: 't1',
    assetId: 'a1',
    assetIds: ['a1'],
    afterId: '',
    version: 1,
    createdAt: 1_700_000_000_000,
    links: [{ type: 'TAG', key: 'jazz', name: 'Jazz', delta: 1, weight: 1, moments: null }],
    names: [{ type: 'TAG', key: 'jazz', name: 'Jazz' }],
    via: ['TAG'],
    typeWeights: { TAG: 1.2 },
    fanOutCap: 200,
    frequentShare: 0.01,
    frequentFanOut: 50,
    fanOut: 50,
    sample: 1000,
    otherType: 'TOPIC',
    limit: 10,
    batch: 500,
    delta: 1,
    offset: 0,
    type: 'TAG',
    key: 'jazz',
    prefix: 'ja',
    keys: ['jazz'],
    padded: ' jazz ',
    words: ['jazz'],
    entities: [{ type: 'TAG', key: 'jazz' }],
    source: '4:x:1',
    target: '4:x:2',
    edges: [{ id: 'a1', partners: [{ id: 'a2', sessions: 3, score: 0.2 }] }],
    rows: [{ assetId: 'a1', popularity: 1.5, trending: 0.2, computedAt: 1_700_000_000_000 }],
  },
};

function diagnostics(statement: string): string[] {
  return lintCypherQuery(statement, dbSchema).diagnostics.map((d) => {
    // Severity 1 is DiagnosticSeverity.Error in the language server protocol.
    const level = d.severity === 1 ? 'error' : 'warning';
    const message = typeof d.message === 'string' ? d.message : d.message.value;
    return `${level} at ${d.range.start.line + 1}:${d.range.start.character + 1}: ${message}`;
  });
}

const statements: [string, string][] = [
  ...Object.entries(SCHEMA).map(([name, text]): [string, string] => [`SCHEMA.${name}`, text]),
  ...Object.entries(CYPHER).map(([name, text]): [string, string] => [`CYPHER.${name}`, text]),
  ...PATH_LENGTHS.map((n): [string, string] => [`shortestPath(${n})`, shortestPath(n)]),
];

describe('Cypher statements', () => {
  it.each(statements)('%s passes the Neo4j linter', (_name, statement) => {
    expect(diagnostics(statement)).toEqual([]);
  });

  it.each(Object.entries(CYPHER))('CYPHER.%s carries its tenant', (_name, statement) => {
    expect(statement).toContain('$tenantId');
  });

  // An asset only linked to (RELATED_TO) stands as a bare node without a version: it is not
  // projected, and a lookup of an asset by id must not find it.
  it.each([
    'assetNode',
    'manualLinks',
    'projectedVersions',
    'projectedIdsAfter',
    'coViewed',
    'replaceCoViewed',
  ] as const)('CYPHER.%s finds projected assets only', (name) => {
    expect(CYPHER[name]).toMatch(/WHERE[^\n]*\b(a|seed)\.version IS NOT NULL/);
  });

  it("reads the tenant's projected-asset count from its statistics node, as Postgres reads a row", () => {
    expect(CYPHER.related).toContain('TenantStats');
    // Counted only where the node is missing (a graph projected before it existed).
    expect(CYPHER.related).toMatch(/WITH stats WHERE stats IS NULL\s+MATCH \(x:Asset/);
  });

  it('catches a syntax error, a semantic error and a misspelt parameter', () => {
    expect(diagnostics('MATCH (a:Asset {tenantId: $tenantId} RETURN a.id AS id')).toEqual([
      expect.stringMatching(/^error .*Invalid input 'RETURN'/),
      expect.stringMatching(/^error .*Query cannot conclude with MATCH/),
    ]);
    expect(diagnostics('MATCH (a:Asset {tenantId: $tenantId}) RETURN b.id AS id')).toEqual([
      expect.stringMatching(/^error .*Variable `b` not defined/),
    ]);
    expect(diagnostics('MATCH (a:Asset {tenantId: $tenant}) RETURN a.id AS id')).toEqual([
      expect.stringMatching(/^error .*Parameter \$tenant is not defined/),
    ]);
  });

  it('flags what the graph does not hold: a label, a property, a direction, a function', () => {
    // A relationship the wrong way round is flagged at both of its ends.
    const flagged = (statement: string) => diagnostics(statement).join('\n');
    expect(flagged('MATCH (a:Asst {tenantId: $tenantId}) RETURN a.id AS id')).toMatch(
      /Label Asst is not present/,
    );
    expect(flagged('MATCH (a:Asset {tenantId: $tenantId}) RETURN a.titel AS t')).toMatch(
      /titel is not present/,
    );
    expect(
      flagged('MATCH (e:Entity {tenantId: $tenantId})-[:HAS_ENTITY]->(a:Asset) RETURN a.id AS id'),
    ).toMatch(/\[:HAS_ENTITY\] has no .*\(:Entity\)/);
    expect(flagged('MATCH (a:Asset {tenantId: $tenantId}) RETURN lenght(a.id) AS n')).toMatch(
      /^error .*Function lenght is not present/m,
    );
  });

  it('interpolates nothing into Cypher text but the path bound', () => {
    const source = readFileSync(new URL('../../graph/cypher.ts', import.meta.url), 'utf8');
    const interpolated = [...source.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]);
    // The first two are in shortestPath's error message; `bound` is the validated integer.
    expect(interpolated).toEqual(['GRAPH_LIMITS.maxPathEdges', 'maxEdges', 'bound']);
  });

  it('writes only a validated integer into a path bound', () => {
    for (const bad of [0, 7, 2.5, Number.NaN, -1]) expect(() => shortestPath(bad)).toThrow(RangeError);
    expect(shortestPath(3)).toContain('[:HAS_ENTITY*..3]');
  });
});
