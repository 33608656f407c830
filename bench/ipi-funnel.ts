/**
 * Where a search's runs fall off the membarrier IPI chain (not a test; docs/search.md "The default
 * generator on bugs nobody named"). Over the runs a registered search makes on the *unmutated*
 * engine of a mutant's spec, counts the runs that reach each stage of the chain an IPI handler's
 * own barrier guards (kernel/sched/membarrier.c ipi_mb(), ipi_rseq(), ipi_sync_core()):
 *
 *   registered   an mm registered a PRIVATE_EXPEDITED command (membarrier_register `ready`)
 *   window       a PRIVATE call of a registered mm passed its entry barrier (`mb_start`)
 *   selected     its scan selected another CPU (a thread of the caller's mm is its rq->curr)
 *   handled      that CPU handled the call's IPI before the caller's exit barrier
 *   in-kernel    ... while in kernel mode (not taken from user mode)
 *   entered-in   ... and its task entered the kernel after the call's `mb_start` (its user
 *                interval ends inside the window: the IPI handler's barrier is the only order)
 *
 * and, for the runs that reach `selected`, why they stop: the IPI taken from user mode, the CPU in
 * the kernel since before the window, the IPI never handled. Also the configuration shapes (CPUs,
 * threads) of the runs reaching `window` and `entered-in`. Only reads the trace.
 *
 *     npx ts-node --transpile-only bench/ipi-funnel.ts MUTANT-ID RUNS SEED [search ...]
 */
import '../src/mutants/searches';
import type { Engine, ModelConfig } from '../src/engine/contract';
import type { KernelState } from '../src/engine/state';
import type { TraceEvent } from '../src/trace/events';
import { searchByName } from '../src/mutants/search';
import { unmutatedTarget } from './chain-reach';

export const STAGES = ['registered', 'window', 'selected', 'handled', 'in-kernel', 'entered-in'] as const;
export type Stage = (typeof STAGES)[number];

const MEMBARRIER_IPIS = new Set(['ipi_mb', 'ipi_rseq', 'ipi_sync_core']);

/** What one run reached, and why a selected IPI did not reach `in-kernel` / `entered-in`. */
export interface RunFunnel {
  reached: Set<Stage>;
  misses: Set<'from-user' | 'kernel-before-window' | 'not-handled'>;
  /** The later stages per IPI handler (`handled ipi_rseq`, `entered-in ipi_mb`, ...). */
  byHandler: Set<string>;
}

/** The stages one trace reaches. */
export function funnelOf(events: readonly TraceEvent[]): RunFunnel {
  const reached = new Set<Stage>();
  const misses = new Set<'from-user' | 'kernel-before-window' | 'not-handled'>();
  const byHandler = new Set<string>();
  const funcOfIpi = new Map<number, string>();
  const init = events[0] as Extract<TraceEvent, { k: 'init' }>;
  const mode: ('user' | 'kernel')[] = new Array(init.cpus.length).fill('kernel');
  for (const c of init.cpus) mode[c.cpu] = c.mode ?? 'kernel';
  const lastUserExit: number[] = new Array(init.cpus.length).fill(-1);
  const fromUser: boolean[] = new Array(init.cpus.length).fill(false);
  const windowStart = new Map<number, number>(); // call -> event index of mb_start
  const callOfIpi = new Map<number, number>(); // ipi id -> call
  const pendingSelected = new Map<number, number>(); // ipi id -> call
  let lastCall = -1;
  events.forEach((ev, i) => {
    switch (ev.k) {
      case 'membarrier_register':
        if (ev.phase === 'ready' && ev.cmd !== 'GLOBAL_EXPEDITED') reached.add('registered');
        break;
      case 'membarrier':
        if (ev.phase === 'mb_start' && ev.cmd !== 'GLOBAL_EXPEDITED') {
          reached.add('window');
          windowStart.set(ev.call, i);
        }
        if (ev.phase === 'mb_end') windowStart.delete(ev.call);
        lastCall = ev.call;
        break;
      case 'membarrier_scan':
        lastCall = ev.call;
        break;
      case 'ipi_send':
        if (MEMBARRIER_IPIS.has(ev.func) && ev.target !== ev.cpu && windowStart.has(lastCall)) {
          reached.add('selected');
          callOfIpi.set(ev.id, lastCall);
          funcOfIpi.set(ev.id, ev.func);
          pendingSelected.set(ev.id, lastCall);
        }
        break;
      case 'ipi_handle': {
        if (ev.id === null || !callOfIpi.has(ev.id)) break;
        const call = callOfIpi.get(ev.id) as number;
        pendingSelected.delete(ev.id);
        const start = windowStart.get(call);
        if (start === undefined) break;
        reached.add('handled');
        const func = funcOfIpi.get(ev.id) as string;
        byHandler.add(`handled ${func}`);
        if (fromUser[ev.cpu]) {
          misses.add('from-user');
          break;
        }
        reached.add('in-kernel');
        byHandler.add(`in-kernel ${func}`);
        if (lastUserExit[ev.cpu] > start) {
          reached.add('entered-in');
          byHandler.add(`entered-in ${func}`);
        }
        else misses.add('kernel-before-window');
        break;
      }
      case 'user_enter':
        mode[ev.cpu] = 'user';
        fromUser[ev.cpu] = false;
        break;
      case 'user_exit':
        // An IPI taken from user mode exits user mode itself (via 'ipi' / 'irq') and returns to it.
        mode[ev.cpu] = 'kernel';
        fromUser[ev.cpu] = ev.via !== 'syscall';
        lastUserExit[ev.cpu] = i;
        break;
      default:
        break;
    }
  });
  if (pendingSelected.size > 0) misses.add('not-handled');
  return { reached, misses, byHandler };
}

if (require.main === module) {
  const [id, runsArg, seedArg, ...names] = process.argv.slice(2);
  const { target, base } = unmutatedTarget(id);
  for (const name of names.length ? names : ['generator']) {
    const counts = new Map<string, number>();
    const bump = (k: string) => counts.set(k, (counts.get(k) ?? 0) + 1);
    let runs = 0;
    let events: TraceEvent[] | null = null;
    let config: ModelConfig | null = null;
    const flush = () => {
      if (!events || !config) return;
      runs++;
      const f = funnelOf(events);
      for (const s of STAGES) if (f.reached.has(s)) bump(s);
      for (const h of f.byHandler) bump(h);
      if (f.reached.has('selected') && !f.reached.has('entered-in')) for (const m of f.misses) bump(`miss ${m}`);
      const shape = `${config.cpus} cpus, ${config.threads} thr`;
      if (f.reached.has('window')) bump(`window @ ${shape}`);
      if (f.reached.has('entered-in')) bump(`entered-in @ ${shape}`);
      bump(`all @ ${shape}`);
      bump(`ops ${Math.min(120, Math.floor((events.length > 0 ? opsOfRun : 0) / 20) * 20)}`);
      events = null;
    };
    let opsOfRun = 0;
    const rec: Engine<KernelState> = {
      info: base.info,
      enabled: (s) => base.enabled(s),
      clone: (s) => base.clone(s),
      init(c) {
        flush();
        config = c;
        opsOfRun = 0;
        const r = base.init(c);
        events = [...r.events];
        return r;
      },
      apply(s, op) {
        const evs = base.apply(s, op);
        opsOfRun++;
        events?.push(...evs);
        return evs;
      },
    };
    const t0 = Date.now();
    searchByName(name)!.run({ ...target, engine: rec, judge: () => null }, { seed: Number(seedArg), budget: Number(runsArg) });
    flush();
    console.log(`\n${name} on ${id}: ${runs} runs, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    for (const s of STAGES) console.log(`  ${s.padEnd(12)} ${String(counts.get(s) ?? 0).padStart(6)}`);
    const rest = [...counts.keys()].filter((k) => !(STAGES as readonly string[]).includes(k)).sort();
    for (const k of rest) console.log(`  ${k.padEnd(28)} ${String(counts.get(k)).padStart(6)}`);
  }
}
