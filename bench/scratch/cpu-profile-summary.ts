/**
 * Where a V8 CPU profile (`node --cpu-prof`) spent its time: self time by source folder of this
 * project (or package, for node_modules), the top functions by self time, and the inclusive time of
 * the project's own functions (a frame counted once per sample however deep it recurses).
 *   npx tsx bench/scratch/cpu-profile-summary.ts <file.cpuprofile> [--per N] [--top 30]
 * `--per N` divides every figure by N (e.g. the assets ingested) to give ms per asset.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { per: { type: 'string', default: '1' }, top: { type: 'string', default: '30' } },
});
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}
const per = Number(values.per);
const top = Number(values.top);

for (const file of positionals) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  p.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));

  const where = (url: string): string => {
    if (!url) return '(native/vm)';
    const nm = url.lastIndexOf('node_modules/');
    if (nm >= 0) {
      const rest = url.slice(nm + 13).split('/');
      return `npm:${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
    }
    if (url.startsWith('node:')) return url;
    const m = /\/wt-[^/]+\/([^/]+)\/(.*)$/.exec(url) ?? /\/main\/([^/]+)\/(.*)$/.exec(url);
    return m ? `${m[1]}/${m[2]}` : url;
  };
  const label = (n: Node) =>
    `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

  const total = [...selfUs.values()].reduce((s, v) => s + v, 0);
  const ms = (us: number) => (us / 1000 / per).toFixed(per === 1 ? 0 : 2).padStart(9);
  const byWhere = new Map<string, number>();
  const byFn = new Map<string, number>();
  const idle = new Set(['(idle)', '(program)', '(garbage collector)']);
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    const fn = n.callFrame.functionName;
    const w = idle.has(fn) ? fn : where(n.callFrame.url);
    byWhere.set(w, (byWhere.get(w) ?? 0) + us);
    byFn.set(label(n), (byFn.get(label(n)) ?? 0) + us);
  }
  // Inclusive time of project functions: each sample's stack, each project frame once.
  const incl = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      const w = where(n.callFrame.url);
      if (w.startsWith('npm:') || w.startsWith('node:') || w.startsWith('(')) continue;
      const l = label(n);
      if (seen.has(l)) continue;
      seen.add(l);
      incl.set(l, (incl.get(l) ?? 0) + (p.timeDeltas[i] ?? 0));
    }
  });
  const busy = total - (byWhere.get('(idle)') ?? 0);
  console.log(`${file}: ${ms(total)} ms sampled, ${ms(busy)} ms not idle${per === 1 ? '' : ` (per ${per})`}`);
  console.log('\nself time by where:');
  for (const [w, us] of [...byWhere].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${ms(us)}  ${w}`);
  console.log('\nself time by function:');
  for (const [f, us] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms(us)}  ${f}`);
  console.log('\ninclusive time of project functions:');
  for (const [f, us] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, top * 2))
    console.log(`${ms(us)}  ${f}`);
}
