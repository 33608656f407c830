/**
 * Sharding long campaigns over several machines (a CI matrix): the work is cut into *units*, one
 * per (engine, seed block), shard I of N runs every N-th unit starting at the I-th, and `merge`
 * combines the shards' JSON results into the result of the unsharded run.
 *
 * - With one seed block per engine (the default), a unit is exactly what runCampaign
 *   (arbitraries/campaign.ts) runs for that engine (same runs, same seed), so merging shards 1/N..N/N
 *   gives runCampaign's result (apart from `seconds`, which add up).
 * - With B > 1 seed blocks, each engine's runs are split into B blocks with their own derived seeds
 *   (one engine's long check spread over B machines); the merged result is that of the
 *   unsharded B-block run, whatever N is: the same units run with the same seeds, and a failing
 *   engine reports the counterexample of its first failing block.
 * Everything is deterministic: which shard runs a unit depends only on the unit's index.
 */
import type { CheckResult, EngineSpec } from './types';
import { runCheck } from '../../arbitraries/check';
import { deriveSeed } from '../../arbitraries/seed';
import type { CampaignOptions } from '../../arbitraries/campaign';

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

export const SHARD_FORMAT = 'lazymm-campaign-shard/1';

/** `--shard 2/3` -> { index: 2, count: 3 }; throws Error with a one-line message otherwise. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new Error(`expected I/N (e.g. 2/3), got ${JSON.stringify(text)}`);
  const shard = { index: Number(m[1]), count: Number(m[2]) };
  checkShard(shard);
  return shard;
}

function checkShard(s: Shard): void {
  if (!Number.isSafeInteger(s.count) || s.count < 1 || !Number.isSafeInteger(s.index) || s.index < 1 || s.index > s.count) {
    throw new Error(`shard must be I/N with 1 <= I <= N (got ${s.index}/${s.count})`);
  }
}

/** The items of shard I/N: every N-th item from the I-th (round robin, so costs spread evenly). */
export function shardOf<T>(items: readonly T[], shard: Shard): T[] {
  checkShard(shard);
  return items.filter((_, k) => k % shard.count === shard.index - 1);
}

/** The seeds of shard I/N (shardOf for seed lists). */
export function shardSeeds(seeds: readonly number[], index: number, count: number): number[] {
  return shardOf(seeds, { index, count });
}

/** A unit of campaign work: `runs` random runs of one engine with one seed. */
export interface CampaignUnit {
  /** Position in the unsharded campaign (engine-major, block-minor). */
  unit: number;
  /** Index of the engine in `options.engines`. */
  engine: number;
  block: number;
  seed: number;
  runs: number;
}

/** Default runs per engine (runCampaign's default, through runCheck). */
const DEFAULT_RUNS = 200;

const specId = (spec: EngineSpec): string => `${spec.arch}/${spec.strategy}${spec.variant ? `+${spec.variant}` : ''}`;

/**
 * The units of a campaign: per engine, `blocks` seed blocks. Block b of B > 1 has seed
 * deriveSeed(`<base seed>#<b>`) and runs/B runs (the first runs % B blocks one more); with B = 1 the
 * one block is runCampaign's check (the engine's derived seed, or options.seed).
 */
export function campaignUnits(options: CampaignOptions, blocks = 1): CampaignUnit[] {
  if (!Number.isSafeInteger(blocks) || blocks < 1) throw new Error(`blocks must be a positive integer (got ${blocks})`);
  const runs = options.runs ?? DEFAULT_RUNS;
  if (!Number.isSafeInteger(runs) || runs < 1) throw new Error(`runs must be a positive integer (got ${runs})`);
  const units: CampaignUnit[] = [];
  options.engines.forEach((spec, engine) => {
    const base = options.seed ?? deriveSeed(specId(spec));
    for (let block = 0; block < blocks; block++) {
      const n = Math.floor(runs / blocks) + (block < runs % blocks ? 1 : 0);
      if (n === 0) continue;
      units.push({ unit: units.length, engine, block, seed: blocks === 1 ? base : deriveSeed(`${base}#${block}`), runs: n });
    }
  });
  return units;
}

/** One shard's results: what `lazymm campaign --shard I/N --json` would write. */
export interface CampaignShardResult {
  format: typeof SHARD_FORMAT;
  shard: Shard;
  blocks: number;
  options: CampaignOptions;
  /** Number of units of the whole campaign. */
  totalUnits: number;
  units: { unit: CampaignUnit; result: CheckResult }[];
}

/** Run shard `shard` of the campaign (all units when omitted). */
export function runCampaignShard(options: CampaignOptions, shard: Shard = { index: 1, count: 1 }, blocks = 1): CampaignShardResult {
  const all = campaignUnits(options, blocks);
  const mine = shardOf(all, shard);
  return {
    format: SHARD_FORMAT,
    shard,
    blocks,
    options,
    totalUnits: all.length,
    units: mine.map((unit) => ({
      unit,
      result: runCheck({
        engine: options.engines[unit.engine],
        runs: unit.runs,
        seed: unit.seed,
        maxOps: options.maxOps,
        properties: options.properties,
      }),
    })),
  };
}

/**
 * Combine the shards of one campaign into its per-engine results (runCampaign's shape). Throws
 * when the shards belong to different campaigns, overlap, or miss a unit (a shard of the CI matrix
 * that failed to upload is an error, not a smaller campaign).
 */
export function merge(shards: readonly CampaignShardResult[]): CheckResult[] {
  if (shards.length === 0) throw new Error('merge: no shard results given');
  const first = shards[0];
  const same = JSON.stringify([first.options, first.blocks, first.totalUnits, first.shard.count]);
  const byUnit = new Map<number, { unit: CampaignUnit; result: CheckResult }>();
  for (const s of shards) {
    if (s.format !== SHARD_FORMAT) throw new Error(`merge: not a campaign shard result (format ${JSON.stringify(s.format)})`);
    if (JSON.stringify([s.options, s.blocks, s.totalUnits, s.shard.count]) !== same) {
      throw new Error(`merge: shard ${s.shard.index}/${s.shard.count} is from a different campaign (options, blocks or shard count differ)`);
    }
    for (const u of s.units) {
      if (byUnit.has(u.unit.unit)) throw new Error(`merge: unit ${u.unit.unit} appears in two shards (shard ${s.shard.index}/${s.shard.count} given twice?)`);
      byUnit.set(u.unit.unit, u);
    }
  }
  if (byUnit.size !== first.totalUnits) {
    const missing = [...Array(first.totalUnits).keys()].filter((k) => !byUnit.has(k));
    const shardsMissing = [...new Set(missing.map((k) => (k % first.shard.count) + 1))].map((i) => `${i}/${first.shard.count}`);
    throw new Error(`merge: ${missing.length} of ${first.totalUnits} units missing (shards ${shardsMissing.join(', ')})`);
  }
  const units = [...byUnit.values()].sort((a, b) => a.unit.unit - b.unit.unit);
  return first.options.engines.map((_, engine) => {
    const mine = units.filter((u) => u.unit.engine === engine);
    const failed = mine.find((u) => u.result.result === 'fail');
    const head = mine[0].result;
    const out: CheckResult = {
      engine: head.engine,
      properties: head.properties,
      runs: mine.reduce((n, u) => n + u.result.runs, 0),
      opsExecuted: mine.reduce((n, u) => n + u.result.opsExecuted, 0),
      seconds: mine.reduce((n, u) => n + u.result.seconds, 0),
      result: failed ? 'fail' : 'pass',
    };
    if (failed?.result.counterexample) out.counterexample = failed.result.counterexample;
    return out;
  });
}
