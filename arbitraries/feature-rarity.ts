/**
 * The rarity schedule of the climbing search (./climb-search.ts), after AFLFast's FAST schedule
 * and libFuzzer's Entropic: every coverage feature counts the runs that reached it, and a corpus
 * entry is picked with weight the sum, over the features it was first to reach, of 1 / (runs that
 * reached that feature). An entry that just found something weighs about one per new feature;
 * once mutations of it keep reaching the same features their count grows and the entry fades, with
 * no per-entry pick counter. Inside an entry, the feature to cut at (./climb-genes.ts) is drawn the
 * same way, so the rarest of what the entry found is the likeliest place to extend it from.
 *
 * Each feature is the new feature of exactly one entry (its owner), so counting a run updates the
 * owners' weights incrementally and a pick costs one pass over the entries.
 */

/** A feature an entry was the first to reach, and the op whose events reached it. */
export interface FoundFeature {
  feature: number;
  op: number;
}

export class FeatureRarity {
  private readonly hits = new Map<number, number>();
  /** The entry that found each feature. */
  private readonly owner = new Map<number, number>();
  /** Each entry's weight, kept up to date by {@link count}. */
  private readonly weights: number[] = [];

  /** Count one run that reached `features` (each once). */
  count(features: Iterable<number>): void {
    for (const f of features) {
      const h = (this.hits.get(f) ?? 0) + 1;
      this.hits.set(f, h);
      const e = this.owner.get(f);
      if (e !== undefined && h > 1) this.weights[e] += 1 / h - 1 / (h - 1);
    }
  }

  /** A new entry that found `found` (counted by {@link count} already or not); returns its index. */
  addEntry(found: readonly FoundFeature[]): number {
    const e = this.weights.length;
    for (const x of found) this.owner.set(x.feature, e);
    this.weights.push(this.entryWeight(found));
    return e;
  }

  /** The entry drawn by weight (`u` uniform in [0, 1)); -1 when there is none. */
  drawEntry(u: number): number {
    return FeatureRarity.draw(this.weights, (w) => Math.max(0, w), u);
  }

  /** Runs that reached `feature` so far. */
  runs(feature: number): number {
    return this.hits.get(feature) ?? 0;
  }

  /** The weight of one feature: 1 / its runs (a feature no run counted yet weighs 1). */
  weight(feature: number): number {
    return 1 / Math.max(1, this.runs(feature));
  }

  /** The weight of an entry: the weights of the features it found. */
  entryWeight(found: readonly FoundFeature[]): number {
    let w = 0;
    for (const x of found) w += this.weight(x.feature);
    return w;
  }

  /** Index of the item drawn with weight `weightOf`, `u` uniform in [0, 1); -1 for an empty list. */
  static draw<T>(items: readonly T[], weightOf: (t: T) => number, u: number): number {
    if (items.length === 0) return -1;
    const ws = items.map(weightOf);
    const total = ws.reduce((a, b) => a + b, 0);
    if (!(total > 0)) return Math.min(items.length - 1, Math.floor(u * items.length));
    let r = u * total;
    for (let i = 0; i < ws.length; i++) {
      r -= ws[i];
      if (r < 0) return i;
    }
    return items.length - 1;
  }
}
