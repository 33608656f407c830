import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeFingerprint, fingerprintModules } from '../../bench/code-fingerprint';
import { appendMinimumRecord, bestRecord, readCarries, readMinimaRecords, staleRecords, validFingerprints, type MinimumSearchRecord } from '../../bench/minima-record';
import { cleanAtFindingDepths, cleanOverFindingShapes, findingTargets, fixedRecordName, seedsAtOwnMinimum } from '../../bench/explorer-reach';

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

  describe('fingerprint carries (bench/fingerprint-carries.json)', () => {
    const carry = (from: string, to: string) => ({ from, to, change: 'c', why: 'w' });

    it('counts records under a fingerprint a chain of carries leads from, and no other', () => {
      const valid = validFingerprints('f3', [carry('f1', 'f2'), carry('f2', 'f3'), carry('f0', 'g1')]);
      expect([...valid].sort()).toEqual(['f1', 'f2', 'f3']);
      const records = [record({ fingerprint: 'f1', cleanTo: 7 }), record({ fingerprint: 'f0', cleanTo: 9 })];
      expect(bestRecord(records, 'flush-skips-switching-cpu', config, valid)?.cleanTo).toBe(7);
      expect(staleRecords(records, 'flush-skips-switching-cpu', config, valid).map((r) => r.fingerprint)).toEqual(['f0']);
    });

    it('names the file and the JSON path of a malformed carry; none when the file is missing', () => {
      const file = path.join(dir, 'carries.json');
      expect(readCarries(file)).toEqual([]);
      fs.writeFileSync(file, JSON.stringify([carry('a', 'b'), { from: 'b', to: 'c', change: 'x' }]));
      expect(() => readCarries(file)).toThrow(`${file}: $[1].why must be a non-empty string`);
      fs.writeFileSync(file, '{}');
      expect(() => readCarries(file)).toThrow(`${file}: $ must be an array of carries`);
    });

    it('the project\'s carries file is well formed, and each carry names a different change', () => {
      const carries = readCarries();
      expect(new Set(carries.map((c) => c.to)).size).toBe(carries.length);
    });
  });

  describe('code fingerprint', () => {
    // A project with the explorer's entry points: explore.ts loads ../engine/step.ts, which loads
    // only the types of ../engine/types.ts; ../engine/unused.ts is loaded by nothing.
    const write = (root: string, rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    };
    const project = (): string => {
      const root = path.join(dir, 'root');
      write(root, 'src/explore/explore.ts', "import { step } from '../engine/step';\nexport const explore = () => step(1);\n");
      for (const e of ['src/explore/parallel.ts', 'src/explore/worker-main.ts', 'arbitraries/variant-check.ts', 'src/explore/command.ts']) write(root, e, 'export const x = 1;\n');
      write(root, 'src/engine/step.ts', "import type { T } from './types';\nexport function step(n: number): T { return { n: n + 1 }; }\n");
      write(root, 'src/engine/types.ts', 'export interface T { n: number }\n');
      write(root, 'src/engine/unused.ts', 'export const u = 1;\n');
      return root;
    };

    it('covers what the explorer loads, through its runtime imports, and nothing else', () => {
      const root = project();
      expect([...fingerprintModules(root).keys()]).toEqual(['arbitraries/variant-check.ts', 'src/engine/step.ts', 'src/explore/command.ts', 'src/explore/explore.ts', 'src/explore/parallel.ts', 'src/explore/worker-main.ts']);
      const before = codeFingerprint(root);
      write(root, 'src/engine/unused.ts', 'export const u = 2;\n');
      write(root, 'src/engine/types.ts', 'export interface T { n: number; m?: string }\n');
      write(root, 'src/engine/step.test.ts', 'test\n');
      expect(codeFingerprint(root)).toBe(before);
      write(root, 'src/engine/step.ts', "import type { T } from './types';\nexport function step(n: number): T { return { n: n + 2 }; }\n");
      expect(codeFingerprint(root)).not.toBe(before);
    });

    it('ignores comments and types in the modules it covers', () => {
      const root = project();
      const before = codeFingerprint(root);
      write(root, 'src/engine/step.ts', "import type { T } from './types';\n// Models: a comment\nexport function step(n: number): T /* the next */ { return { n: n + 1 } as T; }\n");
      expect(codeFingerprint(root)).toBe(before);
    });

    it('names the module whose import it cannot resolve', () => {
      const root = project();
      write(root, 'src/engine/step.ts', "import { gone } from './gone';\nexport const step = gone;\n");
      expect(() => codeFingerprint(root)).toThrow(/src\/engine\/step\.ts requires \.\/gone, which is not a file of the project/);
    });
  });

  describe("the findings' fixed engines", () => {
    it('searches each finding on its fixture, with its fix knob and every open finding\'s', () => {
      const t = findingTargets().find((x) => x.name === 'single-user-shortcuts-miss-kthread-use-mm')!;
      expect(t.config).toEqual({ cpus: 2, procs: 1, threads: 1, kthreads: 1 });
      expect(t.depth).toBe(13);
      expect(t.engine.knobs).toMatchObject({ gadgetWorkerMmget: true, membarrierSwitchMmFix: true, kthreadUseMmWithoutUsers: true });
      expect(fixedRecordName(t.name)).toBe('fixed:single-user-shortcuts-miss-kthread-use-mm');
      expect(t.opKinds).toEqual(['kthread_use_mm', 'membarrier', 'membarrier_register', 'schedule', 'syscall']);
    });

    it('also searches each fixed engine over its fixture\'s op kinds only, and never finds the finding there', () => {
      const quiet = { quick: true, log: () => undefined, progress: () => undefined };
      const rows = cleanOverFindingShapes(quiet, 0.5);
      expect(rows.map((r) => r.opKinds)).toEqual(findingTargets().map((t) => t.opKinds));
      expect(rows.every((r) => r.result === 'clean' || r.result === 'truncated')).toBe(true);
    });

    it('answers a row from a record of the current fingerprint that reached its depth, and not from a shallower one', () => {
      const targets = findingTargets();
      const records = targets.map((t) => record({ variant: fixedRecordName(t.name), config: t.config, result: 'clean', depth: t.depth, cleanTo: t.depth, states: 42 }));
      const quiet = { quick: true, log: () => undefined, progress: () => undefined };
      const rows = cleanAtFindingDepths(quiet, 60, { records, fingerprint: 'f1' });
      expect(rows.map((r) => [r.result, r.recorded, r.states])).toEqual(targets.map(() => ['clean', 'lazymm explore ...', 42]));
      const one = targets.find((t) => t.name === 'single-user-shortcuts-miss-kthread-use-mm')!;
      const shallow = records.map((r) => (r.variant === fixedRecordName(one.name) ? { ...r, cleanTo: one.depth - 1 } : r));
      const searched = cleanAtFindingDepths(quiet, 0.5, { records: shallow, fingerprint: 'f1' }).find((r) => r.name === one.name)!;
      expect(searched.recorded).toBeUndefined();
    });
  });
});

describe('the reach rows: seeds against their own configuration\'s minimum', () => {
  it('counts the seeds at their configuration\'s minimum when it is no longer than the smallest configuration\'s', () => {
    // lazy-skips-freed-tables-flush: 14 ops on 2/1/1/0; three seeds at 11 on 2/1/2/0, its minimum there.
    expect(seedsAtOwnMinimum([11, 11, 12], 11, 14)).toBe(2);
    // As long as the smallest's minimum, on a larger machine, proven minimal there: counted.
    expect(seedsAtOwnMinimum([17, 17], 17, 17)).toBe(2);
    // Minimal on its own machine but longer than the smallest's: not counted (the shrinker could have gone there).
    expect(seedsAtOwnMinimum([18, 18], 18, 14)).toBe(0);
    // Its own minimum unknown: not counted.
    expect(seedsAtOwnMinimum([17], null, 17)).toBe(0);
  });
});
