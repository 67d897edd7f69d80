/**
 * The corpus statistics a batch of enrichments scores its terms against. Read once for the batch,
 * then each enriched asset is counted in before the next is scored, so each asset sees what it saw
 * when the assets were enriched one after another (itself counted, as `termStatsRepository.read`
 * counts it). Pure: the counters in the database move once, by `termStatsRepository.writeMany`.
 */
export class BatchCorpus {
  private documentCount: number;
  private readonly df: Map<string, number>;
  private readonly previous: Map<string, Set<string>>;

  constructor(read: { previous: Map<string, string[]>; documentCount: number; df: Map<string, number> }) {
    this.documentCount = read.documentCount;
    this.df = new Map(read.df);
    this.previous = new Map([...read.previous].map(([id, terms]) => [id, new Set(terms)]));
  }

  /** The document count and the document frequency of each of `terms`, counting this asset with them. */
  statsFor(assetId: string, terms: string[]): { documentCount: number; df: Map<string, number> } {
    const before = this.previous.get(assetId);
    return {
      documentCount: this.documentCount + (before ? 0 : 1),
      df: new Map(terms.map((t) => [t, (this.df.get(t) ?? 0) + (before?.has(t) ? 0 : 1)])),
    };
  }

  /** Counts the asset in with `terms` as its term set, in place of the set it had. */
  add(assetId: string, terms: string[]): void {
    const before = this.previous.get(assetId);
    const after = new Set(terms);
    if (!before) this.documentCount++;
    for (const t of after) if (!before?.has(t)) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    for (const t of before ?? []) if (!after.has(t)) this.df.set(t, Math.max(0, (this.df.get(t) ?? 0) - 1));
    this.previous.set(assetId, after);
  }
}
