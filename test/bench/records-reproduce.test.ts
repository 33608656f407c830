/**
 * Every bench/minima.json record that counts today (its fingerprint today's, or carried to it by
 * bench/fingerprint-carries.json) and is cheap enough is run again under today's code and must give
 * the same result, bounds and counts: the check that a carry's claim ("this change leaves every
 * recorded search as it was") holds, and that the searches are deterministic. Records of up to
 * 5,000 states here; up to 300,000 in test/explore-long/records-reproduce.test.ts.
 */
import { codeFingerprint } from '../../bench/code-fingerprint';
import { readCarries, readMinimaRecords, validFingerprints } from '../../bench/minima-record';
import { rerunRecord, reproducibleRecords } from './records-reproduce';

describe('bench/minima.json records reproduce under today\'s code', () => {
  const valid = validFingerprints(codeFingerprint(), readCarries());
  const cheap = reproducibleRecords(readMinimaRecords(), valid, 5000);

  it('has cheap records to check', () => {
    expect(cheap.length).toBeGreaterThanOrEqual(3);
  });

  it.each(cheap.map((r) => [`${r.variant} on ${r.config.cpus}/${r.config.procs}/${r.config.threads}/${r.config.kthreads} to ${r.depth}`, r]))('%s', (_, record) => {
    const { expected, actual } = rerunRecord(record);
    expect(actual).toEqual(expected);
  });
});
