import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeFingerprint } from '../../bench/code-fingerprint';
import { appendMinimumRecord, bestRecord, readMinimaRecords, staleRecords, type MinimumSearchRecord } from '../../bench/minima-record';

const config = { cpus: 2, procs: 1, threads: 2, kthreads: 0 };
const record = (over: Partial<MinimumSearchRecord>): MinimumSearchRecord => ({
  variant: 'flush-skips-switching-cpu', config, fingerprint: 'f1', recordedAt: '2026-12-07T00:00:00Z', command: 'lazymm explore ...',
  result: 'truncated', depth: 17, cleanTo: 16, minimum: null, clause: null, states: 1, transitions: 1, seconds: 1, workers: 2, ...over,
});

describe('bench/minima.json records', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lazymm-minima-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('appends records and reads them back; a missing file has none', () => {
    const file = path.join(dir, 'minima.json');
    expect(readMinimaRecords(file)).toEqual([]);
    appendMinimumRecord(record({}), file);
    appendMinimumRecord(record({ result: 'counterexample', minimum: 17, cleanTo: 16 }), file);
    expect(readMinimaRecords(file)).toHaveLength(2);
    expect(fs.readdirSync(dir)).toEqual(['minima.json']); // no temporary file left behind
  });

  it('answers only under the same fingerprint, a minimum before a clean bound, the deepest bound first', () => {
    const all = [record({ cleanTo: 12 }), record({ cleanTo: 16 }), record({ fingerprint: 'f0', minimum: 17 }), record({ config: { ...config, threads: 1 }, minimum: 9 })];
    expect(bestRecord(all, 'flush-skips-switching-cpu', config, 'f1')?.cleanTo).toBe(16);
    expect(bestRecord([...all, record({ minimum: 17, cleanTo: 16, result: 'counterexample' })], 'flush-skips-switching-cpu', config, 'f1')?.minimum).toBe(17);
    expect(bestRecord(all, 'flush-skips-switching-cpu', config, 'f2')).toBeUndefined();
    expect(staleRecords(all, 'flush-skips-switching-cpu', config, 'f1').map((r) => r.fingerprint)).toEqual(['f0']);
  });

  it('names the file and the JSON path of a malformed record', () => {
    const file = path.join(dir, 'minima.json');
    fs.writeFileSync(file, JSON.stringify([record({}), { variant: 'x' }]));
    expect(() => readMinimaRecords(file)).toThrow(`${file}: $[1] must be a search record`);
    fs.writeFileSync(file, '{');
    expect(() => readMinimaRecords(file)).toThrow(`${file}: not JSON`);
  });

  it('fingerprints the engine, property and explorer sources, not the tests', () => {
    const root = path.join(dir, 'root');
    for (const d of ['src/engine', 'properties', 'src/explore']) fs.mkdirSync(path.join(root, d), { recursive: true });
    fs.writeFileSync(path.join(root, 'src/engine/a.ts'), 'export const a = 1;\n');
    const before = codeFingerprint(root);
    fs.writeFileSync(path.join(root, 'src/engine/a.test.ts'), 'test\n');
    expect(codeFingerprint(root)).toBe(before);
    fs.writeFileSync(path.join(root, 'properties/p.ts'), 'export const p = 1;\n');
    expect(codeFingerprint(root)).not.toBe(before);
  });
});
