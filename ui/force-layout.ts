/**
 * A small force-directed layout for graphs of up to a few hundred nodes: nodes repel each other,
 * links pull their ends together, and a weak pull keeps everything near the middle. Deterministic
 * (nodes start on a spiral in input order), so the same graph is drawn the same way each time.
 * Pure: positions in, positions out; drawing is the caller's.
 */
export interface LayoutNode {
  id: string;
  /** A fixed node (the graph's centre) stays where it starts, at the origin. */
  fixed?: boolean;
}

export interface LayoutOptions {
  iterations?: number;
  /** The link length the springs aim for. */
  linkLength?: number;
}

export function forceLayout(
  nodes: readonly LayoutNode[],
  links: readonly { source: string; target: string }[],
  options: LayoutOptions = {},
): Map<string, { x: number; y: number }> {
  const iterations = options.iterations ?? 300;
  const length = options.linkLength ?? 60;
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const n = nodes.length;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  // A golden-angle spiral: spread out from the start, so no two nodes begin on top of each other.
  nodes.forEach((node, i) => {
    if (node.fixed) return;
    const r = length * Math.sqrt(i + 1);
    const a = i * 2.399963;
    x[i] = r * Math.cos(a);
    y[i] = r * Math.sin(a);
  });
  const pairs = links.flatMap((l) => {
    const s = index.get(l.source);
    const t = index.get(l.target);
    return s === undefined || t === undefined || s === t ? [] : [[s, t] as const];
  });
  const repulsion = length * length;
  for (let step = 0; step < iterations; step++) {
    // Cooling: large moves first, then settling.
    const heat = 1 - step / iterations;
    const dx = new Float64Array(n);
    const dy = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let ex = x[i]! - x[j]!;
        let ey = y[i]! - y[j]!;
        let d2 = ex * ex + ey * ey;
        if (d2 < 0.01) {
          // Coincident nodes: push apart along a direction fixed by their indexes.
          ex = Math.cos(i + j);
          ey = Math.sin(i + j);
          d2 = 1;
        }
        const f = repulsion / d2;
        dx[i]! += ex * f;
        dy[i]! += ey * f;
        dx[j]! -= ex * f;
        dy[j]! -= ey * f;
      }
    }
    for (const [s, t] of pairs) {
      const ex = x[t]! - x[s]!;
      const ey = y[t]! - y[s]!;
      const d = Math.sqrt(ex * ex + ey * ey) || 1;
      const f = (d - length) / d / 2;
      dx[s]! += ex * f;
      dy[s]! += ey * f;
      dx[t]! -= ex * f;
      dy[t]! -= ey * f;
    }
    for (let i = 0; i < n; i++) {
      if (nodes[i]!.fixed) continue;
      const gx = dx[i]! - x[i]! * 0.02;
      const gy = dy[i]! - y[i]! * 0.02;
      const d = Math.sqrt(gx * gx + gy * gy);
      // Each move is capped, so one strong push cannot fling a node off the drawing.
      const cap = Math.max(1, length * heat);
      const k = d > cap ? cap / d : 1;
      x[i]! += gx * k;
      y[i]! += gy * k;
    }
  }
  return new Map(nodes.map((node, i) => [node.id, { x: x[i]!, y: y[i]! }]));
}
