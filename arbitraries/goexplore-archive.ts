/**
 * The archive of the Go-Explore search (./goexplore-search.ts): every cell (./goexplore-cell.ts)
 * some run reached, with the shortest op prefix known to reach it (and the configuration it ran
 * on), and the counts its selection weight is made of (Ecoffet et al., "First return, then
 * explore", Nature 2021, and the 2019 preprint): how often a run visited the cell, how often it
 * was chosen, and how often since choosing it last led to a new cell. A cell rarely visited or
 * rarely chosen weighs more; one whose explorations stopped finding anything weighs less.
 *
 * Cells are grouped in *buckets* (a coarse cell, ./goexplore-cell.ts bucket()) and chosen in two
 * draws: a bucket by the same weight over the bucket's counts, then a cell of it. A run visits
 * tens of thousands of fine cells in 10,000 runs (measured: bench/goexplore-archive.ts); one draw
 * over all of them would choose each about once, and a rare situation that many fine cells share
 * (an IPI pending on a CPU in kernel mode while the mm is registered) no more often than any other.
 */
import type { ModelConfig } from '../src/engine/contract';
import type { Op } from '../src/engine/ops';

/** One archived cell. */
export interface ArchiveCell extends Counts {
  id: number;
  bucket: number;
  config: ModelConfig;
  /** Index of the weight profile of the run that found the prefix. */
  profile: number;
  /** The shortest known ops that reach the cell from boot (on `config`). */
  prefix: Op[];
}

/** What a cell's or a bucket's weight is made of. */
export interface Counts {
  /** Runs that visited it while exploring. */
  seen: number;
  chosen: number;
  /** Times chosen since a run returning to it last found a new cell. */
  chosenSinceNew: number;
}

/** A bucket: its cells and counts. */
export interface Bucket extends Counts {
  id: number;
  cells: ArchiveCell[];
}

/** The selection weight of a cell or bucket: 1/sqrt(1+n) per count, plus a floor. */
export function cellWeight(c: Counts): number {
  return 1 / Math.sqrt(1 + c.seen) + 1 / Math.sqrt(1 + c.chosen) + 1 / Math.sqrt(1 + c.chosenSinceNew) + 0.1;
}

export class Archive {
  private readonly cells = new Map<number, ArchiveCell>();
  private readonly order: ArchiveCell[] = [];
  private readonly buckets = new Map<number, Bucket>();
  private readonly bucketOrder: Bucket[] = [];

  /** Number of buckets. */
  get bucketCount(): number {
    return this.bucketOrder.length;
  }

  getBucket(id: number): Bucket | undefined {
    return this.buckets.get(id);
  }

  get size(): number {
    return this.order.length;
  }

  get(id: number): ArchiveCell | undefined {
    return this.cells.get(id);
  }

  /**
   * A run reached cell `id` after `prefix`: archive it when new (returns true), or keep the shorter
   * prefix when it already is (Go-Explore keeps the best trajectory to each cell; here: the shortest).
   * `prefix` is copied.
   */
  offer(id: number, bucket: number, config: ModelConfig, profile: number, prefix: readonly Op[]): boolean {
    const c = this.cells.get(id);
    if (c === undefined) {
      const cell: ArchiveCell = { id, bucket, config, profile, prefix: prefix.slice(), seen: 0, chosen: 0, chosenSinceNew: 0 };
      this.cells.set(id, cell);
      this.order.push(cell);
      let b = this.buckets.get(bucket);
      if (b === undefined) {
        b = { id: bucket, cells: [], seen: 0, chosen: 0, chosenSinceNew: 0 };
        this.buckets.set(bucket, b);
        this.bucketOrder.push(b);
      }
      b.cells.push(cell);
      return true;
    }
    if (prefix.length < c.prefix.length) {
      c.config = config;
      c.profile = profile;
      c.prefix = prefix.slice();
    }
    return false;
  }

  /**
   * A bucket drawn with probability proportional to its weight (`r1` uniform in [0, 1)), then a
   * cell of it likewise (`r2`); both counted as chosen.
   */
  choose(r1: number, r2: number): ArchiveCell {
    const b = draw(this.bucketOrder, r1);
    const c = draw(b.cells, r2);
    for (const x of [b, c]) {
      x.chosen++;
      x.chosenSinceNew++;
    }
    return c;
  }

  /** The cells in the order they were found. */
  all(): readonly ArchiveCell[] {
    return this.order;
  }
}

/** An item of `xs` (not empty) drawn with probability proportional to its weight, `r` uniform in [0, 1). */
function draw<T extends Counts>(xs: readonly T[], r: number): T {
  let total = 0;
  for (const x of xs) total += cellWeight(x);
  let left = r * total;
  for (const x of xs) {
    left -= cellWeight(x);
    if (left < 0) return x;
  }
  return xs[xs.length - 1];
}
