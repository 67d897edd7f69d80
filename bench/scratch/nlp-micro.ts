import nlp from 'compromise';
import { readTedCsv } from '../../scripts/lib/ted.js';
const texts: string[] = [];
for await (const t of readTedCsv('../shared/datasets/ted/ted_main.csv')) { if (texts.length >= 300) break; texts.push(`${t.title}\n\n${t.description}`); }
const w = (nlp as any).world();
const hooks = [...w.hooks];
const variants: Record<string, (t: string) => unknown> = {
  'nlp()': (t) => nlp(t),
  'nlp().json()': (t) => nlp(t).json(),
  'nlp().docs': (t) => (nlp(t) as any).docs,
  'no chunks: nlp().docs': (t) => { w.hooks = hooks.filter((h: string) => h !== 'chunks'); try { return (nlp(t) as any).docs; } finally { w.hooks = hooks; } },
};
const best: Record<string, number> = {};
for (let r = 0; r < 4; r++) for (const [k, fn] of Object.entries(variants)) {
  const t0 = performance.now(); for (const t of texts) fn(t); const ms = (performance.now() - t0) / texts.length;
  best[k] = Math.min(best[k] ?? Infinity, ms);
}
console.log(best);
// Same tags without the chunker?
let diff = 0;
for (const t of texts) {
  const a = JSON.stringify((nlp(t).json() as any[]).map((s) => s.terms.map((x: any) => [x.text, x.pre, x.post, x.tags])));
  w.hooks = hooks.filter((h: string) => h !== 'chunks');
  const b = JSON.stringify((nlp(t) as any).docs.map((s: any[]) => s.map((x) => [x.text, x.pre, x.post, [...x.tags]])));
  w.hooks = hooks;
  if (a !== b) diff++;
}
console.log('texts whose terms differ without chunks, docs vs json:', diff);
