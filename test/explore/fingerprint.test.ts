/**
 * The visited set keeps 64-bit fingerprints of state keys, not the keys (src/explore/fingerprint.ts).
 * Checked here: the table finds every key it holds across growth, the parts' boundaries count, and
 * on small configurations no two different full keys share a fingerprint (checkCollisions keeps the
 * full keys, and the kernel states' JSON texts per structural hash, and throws on a collision) and
 * the search is the same with and without the check.
 */
import { explore } from '../../src/explore/explore';
import { fingerprint, VisitedSet } from '../../src/explore/fingerprint';
import { structuralHash } from '../../src/explore/structural-hash';

describe('64-bit state fingerprints', () => {
  it('the table finds every key it holds, across growth', () => {
    const v = new VisitedSet(false, 16);
    const added: number[] = [];
    for (let i = 0; i < 5000; i++) added.push(v.getOrAdd([`state ${i}`, `m${i % 7}`], i));
    expect(added.every((n) => n === -1)).toBe(true);
    expect(v.size).toBe(5000);
    const found: number[] = [];
    for (let i = 0; i < 5000; i += 97) found.push(v.getOrAdd([`state ${i}`, `m${i % 7}`], -5) - i);
    expect(found.every((d) => d === 0)).toBe(true);
  });

  it('part boundaries and every code unit change the fingerprint', () => {
    const fp = (parts: string[]) => {
      const out = new Uint32Array(2);
      fingerprint(parts, out);
      return `${out[0]}:${out[1]}`;
    };
    expect(fp(['ab', 'c'])).not.toBe(fp(['a', 'bc']));
    expect(fp(['{"a":1}'])).not.toBe(fp(['{"a":2}']));
    expect(fp(['x'])).toBe(fp(['x']));
  });

  it('the structural hash of the kernel state tells apart what JSON.stringify tells apart', () => {
    const variants: unknown[] = [{ a: 1 }, { a: '1' }, { b: 1 }, { a: [1] }, { a: [] }, { a: null }, { a: true }, { a: 1.5 }, { a: 1, b: 2 }, { b: 2, a: 1 }, [[1], 2], [1, [2]], { a: {} }, {}];
    const hashes = variants.map(structuralHash);
    expect(new Set(hashes).size).toBe(variants.length);
    expect(structuralHash({ a: 1, b: undefined })).toBe(structuralHash({ a: 1 }));
  });

  it('no collision among the full keys of small searches, and the same search with the check', () => {
    const cases = [
      { engine: { arch: 'x86', strategy: 'refcount', knobs: { membarrierSwitchMmFix: true, syncCoreOnLazySameMmSwitch: true } }, config: { cpus: 2, procs: 1, threads: 1, kthreads: 0 }, depth: 4 },
      { engine: { arch: 'powerpc', strategy: 'shootdown' }, config: { cpus: 2, procs: 1, threads: 1, kthreads: 1 }, depth: 3 },
    ] as const;
    for (const c of cases) {
      const checked = explore({ ...c, engine: { ...c.engine }, checkCollisions: true });
      const plain = explore({ ...c, engine: { ...c.engine } });
      expect(checked.states).toBeGreaterThan(100);
      expect(checked.levels).toEqual(plain.levels);
      expect(checked.result).toBe(plain.result);
    }
  });
});
