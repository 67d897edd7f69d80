import { useMemo } from 'preact/hooks';
import { forceLayout } from '../force-layout';
import '../entities.css';

export type GraphNodeKind = 'ASSET' | 'SPEAKER' | 'TOPIC' | 'TAG' | 'BRAND' | 'KEYWORD' | 'CONTRIBUTOR';

export interface GraphViewNode {
  id: string;
  kind: GraphNodeKind;
  label: string;
  /** Where clicking the node goes (the graph around it). */
  href: string;
  /** The node's own page (the asset or entity page). */
  pageHref: string;
}

export interface GraphViewEdge {
  source: string;
  target: string;
}

const WIDTH = 800;
const HEIGHT = 560;
const MARGIN = 40;
const LABEL_CHARS = 22;

/** What an asset-to-entity link means, in words: the edge's label. */
export const EDGE_LABEL: Record<Exclude<GraphNodeKind, 'ASSET'>, string> = {
  SPEAKER: 'speaker',
  TOPIC: 'topic',
  TAG: 'tag',
  BRAND: 'brand',
  KEYWORD: 'keyword',
  CONTRIBUTOR: 'contributor',
};
const KIND_WORD: Record<GraphNodeKind, string> = { ASSET: 'asset', ...EDGE_LABEL };

const edgeLabel = (a: GraphViewNode, b: GraphViewNode) =>
  a.kind === 'ASSET' && b.kind === 'ASSET'
    ? 'related'
    : EDGE_LABEL[(a.kind === 'ASSET' ? b : a).kind as 'TAG'];

/** "Kelp forests" for an asset, "tag ocean" for an entity: as the graph page's heading names it. */
const nodeName = (n: GraphViewNode) => (n.kind === 'ASSET' ? n.label : `${KIND_WORD[n.kind]} ${n.label}`);

const cut = (s: string) => (s.length > LABEL_CHARS ? `${s.slice(0, LABEL_CHARS - 1)}…` : s);

/**
 * A node-link drawing of a small graph around one centre node, and the same graph as a list. The
 * drawing is for the eye and the mouse (a click on a node goes to the graph around it); the list
 * carries everything the drawing says, for the keyboard and screen readers, which skip the drawing.
 */
export function GraphView(props: { nodes: GraphViewNode[]; edges: GraphViewEdge[]; centreId: string }) {
  const { nodes, edges, centreId } = props;
  const byId = useMemo(() => new Map(nodes.map((n) => [n.id, n])), [nodes]);
  const positions = useMemo(() => {
    const raw = forceLayout(
      nodes.map((n) => ({ id: n.id, fixed: n.id === centreId })),
      edges,
    );
    // Scale the layout into the drawing, keeping its proportions.
    const xs = [...raw.values()].map((p) => p.x);
    const ys = [...raw.values()].map((p) => p.y);
    const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const scale = Math.min(
      (WIDTH - 2 * MARGIN) / Math.max(maxX - minX, 1),
      (HEIGHT - 2 * MARGIN) / Math.max(maxY - minY, 1),
      2,
    );
    const ox = (WIDTH - (maxX - minX) * scale) / 2;
    const oy = (HEIGHT - (maxY - minY) * scale) / 2;
    return new Map(
      [...raw].map(([id, p]) => [id, { x: ox + (p.x - minX) * scale, y: oy + (p.y - minY) * scale }]),
    );
  }, [nodes, edges, centreId]);
  const neighbours = useMemo(() => {
    const m = new Map<string, GraphViewNode[]>();
    for (const e of edges) {
      const [s, t] = [byId.get(e.source), byId.get(e.target)];
      if (!s || !t) continue;
      m.set(s.id, [...(m.get(s.id) ?? []), t]);
      m.set(t.id, [...(m.get(t.id) ?? []), s]);
    }
    return m;
  }, [byId, edges]);
  const centre = byId.get(centreId);
  // The centre first, then assets, then entities by kind: the order the list reads in.
  const ordered = [...nodes].sort(
    (a, b) =>
      Number(b.id === centreId) - Number(a.id === centreId) ||
      Number(b.kind === 'ASSET') - Number(a.kind === 'ASSET') ||
      a.kind.localeCompare(b.kind) ||
      a.label.localeCompare(b.label),
  );

  return (
    <div class="graph-view">
      <svg
        class="graph-drawing"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        aria-hidden="true"
        data-testid="graph-drawing"
      >
        <g class="edges">
          {edges.map((e) => {
            const [s, t] = [positions.get(e.source), positions.get(e.target)];
            const [a, b] = [byId.get(e.source), byId.get(e.target)];
            if (!s || !t || !a || !b) return null;
            const label = edgeLabel(a, b);
            const atCentre = e.source === centreId || e.target === centreId;
            return (
              <g key={`${e.source}|${e.target}`} class={atCentre ? 'edge at-centre' : 'edge'}>
                <line x1={s.x} y1={s.y} x2={t.x} y2={t.y}>
                  <title>{`${a.label} — ${label} — ${b.label}`}</title>
                </line>
                {atCentre && (
                  <text x={(s.x + t.x) / 2} y={(s.y + t.y) / 2} class="edge-label">
                    {label}
                  </text>
                )}
              </g>
            );
          })}
        </g>
        <g class="nodes">
          {nodes.map((n) => {
            const p = positions.get(n.id);
            if (!p) return null;
            const isCentre = n.id === centreId;
            return (
              <a
                key={n.id}
                href={n.href}
                tabIndex={-1}
                class={`node kind-${n.kind.toLowerCase()}${isCentre ? ' centre' : ''}`}
                data-node={n.label}
              >
                <title>{`${n.label} (${KIND_WORD[n.kind]})`}</title>
                <circle cx={p.x} cy={p.y} r={isCentre ? 14 : n.kind === 'ASSET' ? 9 : 7} />
                <text x={p.x} y={p.y + (isCentre ? 28 : 20)}>
                  {cut(n.label)}
                </text>
              </a>
            );
          })}
        </g>
      </svg>
      <ul class="graph-legend" aria-hidden="true">
        {(Object.keys(KIND_WORD) as GraphNodeKind[])
          .filter((k) => nodes.some((n) => n.kind === k))
          .map((k) => (
            <li key={k}>
              <span class={`swatch kind-${k.toLowerCase()}`} /> {KIND_WORD[k]}
            </li>
          ))}
      </ul>
      <h2 id="graph-list-heading">Nodes and links</h2>
      <p class="hint">
        {nodes.length} nodes, {edges.length} links{centre ? `, around ${centre.label}` : ''}.
      </p>
      <ul class="graph-list" aria-labelledby="graph-list-heading">
        {ordered.map((n) => {
          const near = neighbours.get(n.id) ?? [];
          return (
            <li key={n.id}>
              <a href={n.pageHref}>{n.label}</a> <span class="kind">{KIND_WORD[n.kind]}</span>
              {n.id !== centreId && (
                <>
                  {' '}
                  <a href={n.href} class="recentre" aria-label={`Graph around ${nodeName(n)}`}>
                    graph
                  </a>
                </>
              )}
              {near.length > 0 && (
                <span class="meta">
                  {' '}
                  — linked to{' '}
                  {near
                    .map((m) => `${m.label} (${edgeLabel(n, m)})`)
                    .sort()
                    .join(', ')}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
