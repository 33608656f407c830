/**
 * Copy-on-write kernel states (issue 15): src/explore/kernel-share.ts shares a parent's CPU, task
 * and mm records with its child, src/engine/copy-on-access.ts makes the child's apply() copy a record on
 * first access, src/explore/record-hash.ts caches each record's hash by identity.
 *
 * On random runs of every engine and variant (plus knob sets that add state), with the parent
 * deep-frozen before it is shared (a write that bypasses Kctx's accessors throws): the child's
 * apply() emits the events and reaches the state of a plain apply() on a deep copy; the parent is
 * unchanged; records the op did not touch stay shared; the record-composed hash equals the hash of
 * a fresh deep copy (nothing cached) and names ids as kernelKey() does; equal hashes iff equal
 * kernelKey() texts over every state met.
 */
import { createEngine, listEngines } from '../../src/engine/registry';
import { VARIANTS } from '../../src/engine/variants';
import type { KernelState } from '../../src/engine/state';
import type { EngineSpec } from '../../src/run/types';
import { cloneJson, kernelKey, newRenamings } from '../../src/explore/canonical';
import { copyKernelState } from '../../src/explore/kernel-copy';
import { shareKernelState } from '../../src/explore/kernel-share';
import { kernelRecordFingerprint } from '../../src/explore/record-hash';
import { explore } from '../../src/explore/explore';
import { mulberry32 } from '../../src/trace-io/generate-trace';

const specs: EngineSpec[] = [
  ...listEngines().map((e) => ({ arch: e.arch, strategy: e.strategy }) as EngineSpec),
  ...VARIANTS.map((v) => ({ arch: v.base.arch, strategy: v.base.strategy, variant: v.id }) as EngineSpec),
  { arch: 'x86', strategy: 'refcount', knobs: { invlpgb: true, asidTransition: true, membarrierSwitchMmFix: true } },
  { arch: 'x86', strategy: 'refcount', knobs: { storeBuffer: 'rq-membarrier-state' } },
  { arch: 'x86', strategy: 'refcount', knobs: { efiScheme: 'efi_enter_mm', cpumaskPolicy: 'eager-clear' } },
];

/** The renamed ids as kernelKey() leaves them in `Renamings` (the mirror's key reads them next). */
function idNames(s: KernelState, viaRecords: boolean): string {
  const ids = newRenamings();
  if (viaRecords) kernelRecordFingerprint(s, ids);
  else kernelKey(cloneJson(s), ids);
  const probe = (r: { known(id: number): number }, max: number) => Array.from({ length: max + 1 }, (_, i) => r.known(i)).join(',');
  return `${probe(ids.ipi, s.nextIpiId)}|${probe(ids.call, s.nextCallId)}`;
}

test('a child sharing frozen records applies every op as a plain copy does, and hashes as kernelKey() writes', () => {
  const rnd = mulberry32(1515);
  const textOf = new Map<string, string>();
  const hashOf = new Map<string, string>();
  let steps = 0;
  let sharedKept = 0;
  let cpusKept = 0;
  let withIds = 0;
  for (const spec of specs) {
    const engine = createEngine(spec);
    let s: KernelState = engine.init({ cpus: 3, procs: 2, threads: 2, kthreads: 1 }).state;
    for (let i = 0; i < 18; i++) {
      const en = engine.enabled(s);
      if (en.length === 0) break;
      // Flushes, membarrier calls and steps often: they hold IPI and call ids, which the hash renames.
      const idOps = en.filter((o) => o.op === 'flush_tlb' || o.op === 'membarrier' || o.op === 'step');
      const pool = idOps.length > 0 && rnd() < 0.5 ? idOps : en;
      const op = pool[Math.floor(rnd() * pool.length)];
      const before = JSON.stringify(s);
      const plain = copyKernelState(s);
      const child = shareKernelState(s, true);
      const evChild = engine.apply(child, op);
      const evPlain = engine.apply(plain, op);
      expect(JSON.stringify(evChild)).toBe(JSON.stringify(evPlain));
      expect(JSON.stringify(child)).toBe(JSON.stringify(plain));
      expect(JSON.stringify(s)).toBe(before);
      for (const id in s.tasks) if (child.tasks[id] === s.tasks[id]) sharedKept++;
      for (const id in s.mms) if (child.mms[id] === s.mms[id]) sharedKept++;
      cpusKept += child.cpus.filter((c, n) => c === s.cpus[n]).length;

      const h = kernelRecordFingerprint(child, newRenamings(), true);
      expect(h).toBe(kernelRecordFingerprint(cloneJson(child), newRenamings()));
      expect(idNames(child, true)).toBe(idNames(child, false));
      if (child.cpus.some((c) => c.pendingIpis.length > 0) || Object.values(child.tasks).some((t) => t.frames.some((f) => f.waitIpis.length > 0 || typeof f.call === 'number'))) withIds++;
      const text = kernelKey(cloneJson(child), newRenamings());
      expect(textOf.get(h) ?? text).toBe(text);
      expect(hashOf.get(text) ?? h).toBe(h);
      textOf.set(h, text);
      hashOf.set(text, h);
      s = child;
      steps++;
    }
  }
  expect(steps).toBeGreaterThan(400);
  expect(sharedKept).toBeGreaterThan(steps * 4);
  expect(cpusKept).toBeGreaterThan(steps); // of 3 CPUs, an op leaves more than one untouched on average
  expect(withIds).toBeGreaterThan(50);
});

test('a write that bypasses the accessors reaches a frozen shared record and throws', () => {
  const engine = createEngine({ arch: 'x86', strategy: 'refcount' });
  const parent = engine.init({ cpus: 2, procs: 1, threads: 1, kthreads: 0 }).state;
  const child = shareKernelState(parent, true);
  const id = parent.taskOrder.find((t) => parent.tasks[t].type === 'user') as string;
  expect(child.tasks[id]).toBe(parent.tasks[id]);
  expect(() => {
    child.tasks[id].exiting = true;
  }).toThrow(TypeError);
  expect(() => {
    child.mms[parent.mmOrder[0]].cpumask[0] = false;
  }).toThrow(TypeError);
  expect(() => {
    child.cpus[1].isLazy = true;
  }).toThrow(TypeError);
  expect(parent.tasks[id].exiting).toBe(false);
});

// Every arch and strategy, deeper: test/explore-long/cow.test.ts.
test('explore with frozen shared records: the same search as whole copies (x86/refcount)', () => {
  for (const e of [{ arch: 'x86', strategy: 'refcount' }]) {
    const base = { engine: e as EngineSpec, config: { cpus: 2, procs: 1, threads: 2, kthreads: 1 }, depth: 3 };
    const cow = explore({ ...base, freezeShared: true, stopOnViolation: false });
    const plain = explore({ ...base, cow: false, stopOnViolation: false });
    expect(cow.levels).toEqual(plain.levels);
    expect(cow.violations).toBe(plain.violations);
    expect(cow.counterexample?.ops).toEqual(plain.counterexample?.ops);
  }
});
