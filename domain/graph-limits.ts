/**
 * The largest graph walks a request may ask for: the API validates requests against them, and the
 * graph adapters bound their walks by them whatever the graph's shape.
 */
export const GRAPH_REQUEST_LIMITS = {
  /** Longest path searched, in asset-entity edges. */
  maxPathEdges: 6,
  /** Nodes a neighbourhood returns at most. */
  maxNeighbourhoodNodes: 500,
} as const;

/** An entity's co-occurring entities are counted over at most this many of its strongest links. */
export const COOCCURRENCE_ASSETS = 1_000;
