import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelConfig } from '../engine/contract';
import type { Op } from '../engine/ops';
import { createEngine } from '../engine/registry';
import { replayAlignedMonitored, replayMonitored } from '../../arbitraries/monitored-run';
import { replayOps } from '../../arbitraries/interleaving';
import { main } from '../cli/main';
import type { CliIo } from '../cli/io';
import { ENGINE_DIR, enumerateSites, fileSites } from './enumerate';
import { allInstances, enginesForFile, instancesOf } from './instances';
import { sampleInstances } from './sample';
import { OPERATORS } from './types';
import { searchTarget } from './verdict';

const sites = enumerateSites();

describe('mutant enumeration', () => {
  it('finds sites of every operator, with unique ids', () => {
    for (const op of OPERATORS) expect(sites.filter((s) => s.operator === op).length).toBeGreaterThan(0);
    expect(new Set(sites.map((s) => s.id)).size).toBe(sites.length);
    expect(new Set(allInstances().map((i) => i.id)).size).toBe(instancesOf(sites).length);
  });

  it('is stable: the same ids again, and an edit in another function renumbers nothing', () => {
    const file = 'kernel/sched.ts';
    const text = fs.readFileSync(path.join(ENGINE_DIR, file), 'utf8');
    const before = fileSites(file, text).map((s) => s.id);
    expect(before).toEqual(sites.filter((s) => s.file === file).map((s) => s.id));
    const edited = fileSites(file, `${text}\nexport function extra(k: any, cpu: number): void {\n  k.mb(cpu, 'extra');\n}\n`).map((s) => s.id);
    expect(edited.filter((id) => !id.includes(':extra:'))).toEqual(before);
    expect(edited).toContain('kernel/sched:extra:drop-mb:0');
  });

  it('names sites by file, function, operator and ordinal, in kernel terms', () => {
    const s = sites.find((x) => x.id === 'kernel/sched:schedule:drop-mb:0');
    expect(s?.description).toMatch(/smp_mb.*__schedule\(\)/);
    expect(sites.find((x) => x.id === 'kernel/sched:finishTaskSwitchMm:drop-ref:0')?.description).toMatch(/drop mmdrop_lazy_tlb\(\)/);
  });

  it('drop-store takes one-store setters and field stores with their event, not barriers, references or whole calls', () => {
    const stores = sites.filter((x) => x.operator === 'drop-store');
    expect(stores.find((x) => x.id === 'kernel/ipi:runIpiFunc:drop-store:0')?.description).toMatch(/^lose the store setRqMembarrierState\(ipi_sync_rq_state\)/);
    expect(stores.find((x) => x.id === 'arch/x86:switchMmBegin:drop-store:1')?.description).toMatch(/setLoadedMmSwitching\(switch_mm_irqs_off\)/);
    // The store is an assignment or a one-store setter (possibly under an `if`), never mb(), a refcount call or setCpumask().
    const label = (d: string) => d.replace(/^lose the store (if \(.*?\) )?/, '');
    expect(stores.filter((x) => !/^(set(TaskMm|PrevMm|RqMembarrierState|MmMembarrierState|Lazy|LoadedMmSwitching)|setHazardSlot)\(|^[\w.()[\]]+ = /.test(label(x.description))).map((x) => x.description)).toEqual([]);
  });

  it('runs every file with sites on some engine (an arch helper on the arches that import it)', () => {
    expect([...new Set(sites.map((s) => s.file))].filter((f) => enginesForFile(f).length === 0)).toEqual([]);
    expect(enginesForFile('arch/x86-flush-steps.ts')).toEqual([['x86', 'refcount']]);
    expect(enginesForFile('arch/radix-flush.ts')).toEqual([['powerpc', 'shootdown']]);
    expect(enginesForFile('arch/broadcast-flush.ts')).toEqual([['powerpc', 'shootdown'], ['arm64', 'refcount']]);
  });

  it('samples reproducibly, spread over the operators', () => {
    const all = allInstances();
    const a = sampleInstances(all, OPERATORS.length, 7);
    expect(a.map((i) => i.id)).toEqual(sampleInstances(all, OPERATORS.length, 7).map((i) => i.id));
    expect(new Set(a.map((i) => i.site.operator)).size).toBe(OPERATORS.length);
  });
});

describe('a mutant engine', () => {
  // finish_task_switch() without its mmdrop_lazy_tlb(): CPU 0 goes lazy on T1's mm (idle), then
  // back to T1; the lazy reference handed over through rq->prev_mm is never dropped.
  const config: ModelConfig = { cpus: 2, procs: 1, threads: 1, kthreads: 1 };
  const ops: Op[] = [
    { op: 'preempt', cpu: 0, next: 'idle0' }, { op: 'step', cpu: 0 }, { op: 'step', cpu: 0 }, { op: 'step', cpu: 0 },
    { op: 'schedule', cpu: 0, next: 'T1' }, { op: 'step', cpu: 0 }, { op: 'step', cpu: 0 }, { op: 'step', cpu: 0 }, { op: 'step', cpu: 0 },
  ];
  const inst = allInstances().find((i) => i.id === 'kernel/sched:finishTaskSwitchMm:drop-ref:0@x86/refcount');

  it('behaves differently from the engine it was made from, and is killed differentially on a known ops list', () => {
    expect(inst).toBeDefined();
    const target = searchTarget(inst!);
    const base = createEngine(inst!.engine);
    const mutantEvents = replayOps(target.engine, config, ops).events;
    const baseEvents = replayOps(base, config, ops).events;
    expect(JSON.stringify(mutantEvents)).not.toEqual(JSON.stringify(baseEvents));
    expect(baseEvents.some((e) => e.k === 'ref' && e.fn === 'mmdrop_lazy_tlb_sched')).toBe(true);
    expect(mutantEvents.some((e) => e.k === 'ref' && e.fn === 'mmdrop_lazy_tlb_sched')).toBe(false);

    const outcome = replayMonitored(target.engine, config, ops, target.makeChecker);
    expect(outcome.violation?.property).toBe('refcount-balance');
    expect(target.judge(config, outcome)).toBe('kill');
    // The base passes the same ops: the verdict is the mutant's own.
    expect(replayAlignedMonitored(base, config, ops, target.makeChecker).violation).toBeNull();
  });

  it('leaves the process engine untouched', () => {
    searchTarget(inst!);
    const again = replayMonitored(createEngine(inst!.engine), config, ops, searchTarget(inst!).makeChecker);
    expect(again.violation).toBeNull();
  });
});

describe('lazymm mutants', () => {
  const run = (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (t) => void out.push(t), err: (t) => void err.push(t), progress: false };
    const code = main(['mutants', ...argv], io) as number;
    return { code, out: out.join(''), err: err.join('') };
  };

  it('rejects bad input with exit 2 and one line', () => {
    for (const argv of [[], ['--list', '--run'], ['--run', '--budget', 'x'], ['--list', '--operator', 'drop-everything'], ['--run', '--search', 'nope'], ['--list', '--engine', 'x86'], ['--list', '--id', 'no-such-mutant'], ['--list', '--budget', '5'], ['--list', '--knob', 'foo=1'], ['--run', '--knob', 'storeBuffer=yes']]) {
      const r = run(...argv);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.out).toBe('');
    }
  });

  it('--list --json names every selected mutant', () => {
    const r = run('--list', '--json', '--operator', 'drop-serialize', '--engine', 'x86/refcount');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { mutants: { id: string; operator: string }[] };
    expect(doc.mutants.length).toBeGreaterThan(0);
    expect(doc.mutants.every((m) => m.operator === 'drop-serialize' && m.id.endsWith('@x86/refcount'))).toBe(true);
  });

  it('--knob sets a knob on every selected mutant engine, on top of the fix knobs', () => {
    const r = run('--list', '--json', '--id', 'stepRegister:drop-mb:0', '--knob', 'storeBuffer=rq-membarrier-state');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { mutants: { engine: { knobs: Record<string, unknown> } }[] };
    expect(doc.mutants.length).toBe(3);
    for (const m of doc.mutants) expect(m.engine.knobs).toMatchObject({ storeBuffer: 'rq-membarrier-state', membarrierSwitchMmFix: true });
  });

  it('--run judges a mutant', () => {
    const r = run('--run', '--json', '--id', 'kernel/sched:finishTaskSwitchMm:drop-ref:0@x86/refcount', '--budget', '50', '--search', 'generator', '--explore-seconds', '0');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { mutants: { status: string; killedBy: string; property: string }[] };
    expect(doc.mutants).toHaveLength(1);
    expect(doc.mutants[0]).toMatchObject({ status: 'killed', killedBy: 'generator', property: 'refcount-balance' });
  });
});
