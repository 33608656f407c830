/**
 * test/bench/records-reproduce.test.ts for the larger records: every bench/minima.json record that
 * counts today, complete, of more than 5,000 and at most 300,000 states (about a minute and a half
 * in all on one core), run again under today's code: the same result, bounds and counts.
 */
import { codeFingerprint } from '../../bench/code-fingerprint';
import { readCarries, readMinimaRecords, validFingerprints } from '../../bench/minima-record';
import { rerunRecord, reproducibleRecords } from '../bench/records-reproduce';

describe('bench/minima.json records reproduce under today\'s code (long)', () => {
  const valid = validFingerprints(codeFingerprint(), readCarries());
  const larger = reproducibleRecords(readMinimaRecords(), valid, 300_000, 5000);

  it('has larger records to check', () => {
    expect(larger.length).toBeGreaterThanOrEqual(3);
  });

  it.each(larger.map((r) => [`${r.variant} on ${r.config.cpus}/${r.config.procs}/${r.config.threads}/${r.config.kthreads} to ${r.depth}`, r]))('%s', (_, record) => {
    const { expected, actual } = rerunRecord(record);
    expect(actual).toEqual(expected);
  });
});
