/**
 * Sharding long campaigns (src/run/shard.ts): shards 1/3, 2/3 and 3/3 together are the
 * unsharded run.
 */
import { runCampaign, type CampaignOptions } from '../../arbitraries/campaign';
import { campaignUnits, merge, parseShard, runCampaignShard, shardOf, shardSeeds } from '../../src/run/shard';
import type { CheckResult } from '../../src/run/types';

const OPTIONS: CampaignOptions = {
  engines: [
    { arch: 'x86', strategy: 'refcount' },
    { arch: 'x86', strategy: 'refcount', variant: 'no-lazy-mmgrab' },
    { arch: 'arm64', strategy: 'refcount' },
    { arch: 'powerpc', strategy: 'shootdown' },
  ],
  runs: 12,
  maxOps: 40,
};

const noSeconds = (rs: CheckResult[]) => rs.map(({ seconds, ...r }) => r);

describe('campaign shards', () => {
  it('parses and splits deterministically, round robin', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(() => parseShard('0/3')).toThrow(/1 <= I <= N/);
    expect(() => parseShard('4/3')).toThrow(/1 <= I <= N/);
    expect(() => parseShard('two')).toThrow(/I\/N/);
    expect(shardSeeds([10, 11, 12, 13, 14, 15, 16], 1, 3)).toEqual([10, 13, 16]);
    expect(shardSeeds([10, 11, 12, 13, 14, 15, 16], 3, 3)).toEqual([12, 15]);
    const all = [1, 2, 3, 4, 5, 6, 7, 8];
    const parts = [1, 2, 3].map((i) => shardOf(all, { index: i, count: 3 }));
    expect(parts.flat().sort()).toEqual(all);
  });

  it('shards 1/3, 2/3, 3/3 merged equal the unsharded runCampaign', () => {
    const shards = [1, 2, 3].map((index) => runCampaignShard(OPTIONS, { index, count: 3 }));
    expect(shards.map((s) => s.units.length)).toEqual([2, 1, 1]);
    // The shards go through JSON (files from a CI matrix) and arrive in any order.
    const fromJson = shards.reverse().map((s) => JSON.parse(JSON.stringify(s)));
    expect(noSeconds(merge(fromJson))).toEqual(noSeconds(runCampaign(OPTIONS)));
  });

  it('with seed blocks, any sharding merges to the unsharded block run', () => {
    const units = campaignUnits(OPTIONS, 3);
    expect(units).toHaveLength(12);
    expect(units.filter((u) => u.engine === 0).map((u) => u.runs)).toEqual([4, 4, 4]);
    const whole = merge([runCampaignShard(OPTIONS, { index: 1, count: 1 }, 3)]);
    const sharded = merge([1, 2, 3].map((index) => runCampaignShard(OPTIONS, { index, count: 3 }, 3)));
    expect(noSeconds(sharded)).toEqual(noSeconds(whole));
    expect(whole.map((r) => r.runs)).toEqual([12, expect.any(Number), 12, 12]);
    expect(whole[1].result).toBe('fail');
  });

  it('refuses a missing shard, a shard given twice, or shards of different campaigns', () => {
    const s1 = runCampaignShard(OPTIONS, { index: 1, count: 3 });
    const s2 = runCampaignShard(OPTIONS, { index: 2, count: 3 });
    expect(() => merge([s1, s2])).toThrow(/units missing \(shards 3\/3\)/);
    expect(() => merge([s1, s1])).toThrow(/two shards/);
    const other = runCampaignShard({ ...OPTIONS, runs: 5 }, { index: 3, count: 3 });
    expect(() => merge([s1, s2, other])).toThrow(/different campaign/);
  });
});
