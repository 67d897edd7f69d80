import { z } from 'zod';
import defaultBrands from './data/default-brands.json' with { type: 'json' };

export const BRAND_EXTRACTOR_VERSION = 1;

export interface BrandEntry {
  name: string;
  aliases?: string[];
  /**
   * The name is also an ordinary word ("apple", "shell"): a mention counts only when its first
   * letter is a capital and it does not open a sentence, where every word is capitalized.
   */
  ambiguous?: boolean;
}

export interface BrandMatch {
  /** The entry's canonical name, whichever of its names was mentioned. */
  name: string;
  mentions: number;
  /** 1 - 0.5^mentions: 0.5 for one mention, 0.75 for two; each repeat halves the remaining doubt. */
  score: number;
}

export const BrandEntrySchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    aliases: z.array(z.string().trim().min(1).max(200)).max(50).optional(),
    ambiguous: z.boolean().optional(),
  })
  .strict();

/** The brands shipped with the service; tenants add their own with `gazetteerFor`. */
export const DEFAULT_BRANDS: BrandEntry[] = z.array(BrandEntrySchema).parse(defaultBrands);

interface Token {
  /** Folded, lower-cased, internal apostrophes and dots removed: "McDonald's" → "mcdonalds". */
  key: string;
  /** The key without a possessive "'s" ("Apple's" → "apple"), or null. */
  possessive: string | null;
  capitalized: boolean;
  sentenceInitial: boolean;
}

// Apostrophes and dots only join when letters or digits stand on both sides; elsewhere they separate.
const TOKEN = /[\p{L}\p{N}]+(?:['’ʼ.][\p{L}\p{N}]+)*/gu;
const JOINERS = /['’ʼ.]/g;
const POSSESSIVE = /['’ʼ][sS]$/;
const SENTENCE_BREAK = /[.!?…]|\n\s*\n/;

/** Entries and text go through this one tokenizer, so both sides agree on what a token is. */
function tokenize(text: string): Token[] {
  const folded = text.normalize('NFKD').replace(/\p{M}/gu, '');
  const tokens: Token[] = [];
  let previousEnd = 0;
  for (const m of folded.matchAll(TOKEN)) {
    const raw = m[0];
    const key = raw.replace(JOINERS, '').toLowerCase();
    tokens.push({
      key,
      possessive: POSSESSIVE.test(raw) ? key.slice(0, -1) : null,
      // Digits and caseless scripts count as capitalized: only a lower-case letter says "ordinary word".
      capitalized: !/^\p{Ll}/u.test(raw),
      sentenceInitial: tokens.length === 0 || SENTENCE_BREAK.test(folded.slice(previousEnd, m.index)),
    });
    previousEnd = m.index + raw.length;
  }
  return tokens;
}

const nameKey = (name: string) =>
  tokenize(name)
    .map((t) => t.key)
    .join(' ');

interface Brand {
  name: string;
  ambiguous: boolean;
}

interface TrieNode {
  children: Map<string, TrieNode>;
  brand: Brand | null;
}

const newNode = (): TrieNode => ({ children: new Map(), brand: null });

export class BrandGazetteer {
  private readonly root: TrieNode = newNode();
  /** Tokens in the longest name: bounds the walk from each token, which keeps matching linear. */
  private readonly depth: number = 0;

  /** When two entries share a name or alias, the later entry owns it. */
  constructor(entries: BrandEntry[]) {
    for (const entry of entries) {
      const brand: Brand = { name: entry.name, ambiguous: entry.ambiguous === true };
      for (const surface of [entry.name, ...(entry.aliases ?? [])]) {
        const keys = tokenize(surface).map((t) => t.key);
        if (keys.length === 0) continue;
        let node = this.root;
        for (const key of keys) {
          let child = node.children.get(key);
          if (!child) {
            child = newNode();
            node.children.set(key, child);
          }
          node = child;
        }
        node.brand = brand;
        this.depth = Math.max(this.depth, keys.length);
      }
    }
  }

  /**
   * Case- and punctuation-insensitive: "Coca-Cola", "coca cola", "COCA COLA." match. Matches are
   * whole tokens ("Metaphor" is not "Meta"), the longest match at a position wins, and matches do
   * not overlap. Time is linear in the text length (times the longest entry's token count).
   */
  match(text: string): BrandMatch[] {
    const tokens = tokenize(text);
    const counts = new Map<string, number>();
    let i = 0;
    while (i < tokens.length) {
      const first = tokens[i]!;
      const accepts = (brand: Brand) => !brand.ambiguous || (first.capitalized && !first.sentenceInitial);
      let node = this.root;
      let best: { end: number; brand: Brand } | null = null;
      for (let j = i; j < tokens.length && j - i < this.depth; j++) {
        const token = tokens[j]!;
        // A possessive can only end a name ("Coca-Cola's ad"), so it is tried as a last token, not walked through.
        if (token.possessive !== null) {
          const owner = node.children.get(token.possessive)?.brand;
          if (owner && accepts(owner)) best = { end: j + 1, brand: owner };
        }
        const next = node.children.get(token.key);
        if (!next) break;
        node = next;
        if (node.brand && accepts(node.brand)) best = { end: j + 1, brand: node.brand };
      }
      if (best) {
        counts.set(best.brand.name, (counts.get(best.brand.name) ?? 0) + 1);
        i = best.end;
      } else i++;
    }
    return [...counts]
      .map(([name, mentions]) => ({ name, mentions, score: 1 - 0.5 ** mentions }))
      .sort((a, b) => b.mentions - a.mentions || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

let defaultGazetteer: BrandGazetteer | null = null;

/** The default list plus a tenant's own entries (tenant entries with the same name replace defaults). */
export function gazetteerFor(tenantEntries: BrandEntry[]): BrandGazetteer {
  if (tenantEntries.length === 0) return (defaultGazetteer ??= new BrandGazetteer(DEFAULT_BRANDS));
  const own = new Set(tenantEntries.map((e) => nameKey(e.name)));
  // Tenant entries come last so that they also own any alias they share with a default entry.
  return new BrandGazetteer([...DEFAULT_BRANDS.filter((e) => !own.has(nameKey(e.name))), ...tenantEntries]);
}
