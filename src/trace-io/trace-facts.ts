/**
 * The facts a trace's sufficiency is judged on (./sufficiency.ts), gathered in one streaming pass
 * with O(1) work per event and memory bounded by the machine's size (CPUs, tasks, mms), never by
 * the trace's length: which event kinds occur, and the first *evidence* that a complete trace would
 * contain some kind (for example an x86 IRET to user mode, after which a complete trace has a
 * `serialize`). Evidence that a kernel path would produce is only taken once that path is over.
 */
import type { CpuId, EventKind, InitEvent, MmId, TaskId, TaskType, TraceEvent } from '../trace/events';
import { describeEvent } from '../../properties';

/** The kinds of evidence (see EVIDENCE_TEXT in ./sufficiency-rules.ts for what each one implies). */
export type EvidenceKey =
  | 'userEnterIret'
  | 'userEnterPti'
  | 'userEnterEretRfi'
  | 'cr3Write'
  | 'doSyncCore'
  | 'membarrierScan'
  | 'membarrierIpi'
  | 'membarrierBarrier'
  | 'ipiMbHandled'
  | 'switchDone'
  | 'userToKernelSwitch'
  | 'kernelToUserSwitch'
  | 'mmPathDone'
  | 'kthreadUseMmDone'
  | 'mmTeardown'
  | 'mmdropBegin'
  | 'mmFreed'
  | 'mmCountZero'
  | 'mmdropDone'
  | 'foreignMm'
  | 'userEnterForeignMm'
  | 'loadOutsideCpumask'
  | 'flushRequested'
  | 'flushPathDone'
  | 'registered'
  | 'userExitExcess'
  | 'userEnterExcess';

/** Where the evidence was first seen: the event index and a description of the event. */
export interface Evidence {
  index: number;
  event: string;
}

/** Paths of a context switch (docs/properties.md: the fns a switch's own path may carry). */
const SWITCH_FNS = new Set(['context_switch', '__schedule', 'schedule', 'finish_task_switch']);
/** Paths that change a task's ->mm or ->active_mm. */
const MM_PATHS = new Set(['exec_mmap', 'exit_mm', 'kthread_use_mm', 'kthread_unuse_mm']);
const MEMBARRIER_IPIS = new Set(['ipi_mb', 'ipi_sync_core', 'ipi_rseq']);

/** Per-CPU evidence waiting for the CPU's step or path to end. */
interface Pending {
  /** A switch_to seen inside a context-switch path: confirmed at the path's end. */
  switchKind: 'u2k' | 'k2u' | null;
  switchAt: number;
  switchEv: TraceEvent | null;
  /** mm_count reached 0 / __mmdrop began: confirmed when the step (or the __mmdrop path) ends. */
  zeroAt: number;
  zeroEv: TraceEvent | null;
  mmdropAt: number;
  mmdropEv: TraceEvent | null;
  mmdropPath: boolean;
}

/** Facts of one trace, fed event by event. */
export class TraceFacts {
  readonly kinds = new Set<EventKind>();
  readonly evidence = new Map<EvidenceKey, Evidence>();
  readonly init: InitEvent;
  /** A PRIVATE_EXPEDITED_SYNC_CORE call returned 0 (sync-core-before-usermode has a premise). */
  syncCoreReturned = false;
  /** A smp_text_poke_batch_finish() path ended (its C3.4 has a premise). */
  textPokeBatchEnded = false;
  /** An expedited call reached its exit barrier (membarrier-ordering has a window to judge). */
  windowClosed = false;
  /** An mm was freed (no-lazy-use-after-free has something to protect). */
  anyFree = false;

  private readonly taskType = new Map<TaskId, TaskType>();
  private readonly taskMm = new Map<TaskId, MmId | null>();
  private readonly knownMms = new Set<MmId>();
  private readonly staticMms = new Set<MmId>();
  private readonly bootCpumask = new Map<MmId, Set<CpuId>>();
  private readonly bootLoaded: string[];
  private readonly enters: number[];
  private readonly exits: number[];
  private readonly bootUser: boolean[];
  private readonly pathDepth: number[];
  private readonly switchPathOpen: boolean[];
  private readonly pending: Pending[];
  private lastCpu: number | null = null;

  constructor(init: InitEvent) {
    this.init = init;
    this.kinds.add('init');
    for (const t of init.tasks) {
      this.taskType.set(t.task, t.type);
      this.taskMm.set(t.task, t.mm);
    }
    for (const m of init.mms) {
      this.knownMms.add(m.mm);
      if (m.static) this.staticMms.add(m.mm);
      this.bootCpumask.set(m.mm, new Set(m.cpumask));
    }
    const n = init.cpus.length;
    this.bootLoaded = init.cpus.map((c) => c.loadedMm);
    this.bootUser = init.cpus.map((c) => c.mode === 'user');
    this.enters = new Array<number>(n).fill(0);
    this.exits = new Array<number>(n).fill(0);
    this.pathDepth = new Array<number>(n).fill(0);
    this.switchPathOpen = new Array<boolean>(n).fill(false);
    this.pending = Array.from({ length: n }, () => ({ switchKind: null, switchAt: 0, switchEv: null, zeroAt: -1, zeroEv: null, mmdropAt: -1, mmdropEv: null, mmdropPath: false }));
  }

  /**
   * Records `key` at event `i` unless it was seen before (the first occurrence is cited). The text
   * is a thunk: it is only built once per key, not on every event that is evidence again.
   */
  private see(key: EvidenceKey, i: number, ev: TraceEvent | (() => string)): void {
    if (!this.evidence.has(key)) this.evidence.set(key, { index: i, event: typeof ev === 'function' ? ev() : describeEvent(ev, i) });
  }

  /** Feeds event `i` (after init). */
  observe(ev: TraceEvent, i: number): void {
    this.kinds.add(ev.k);
    if (ev.k === 'init') return;
    if (this.lastCpu !== null && this.lastCpu !== ev.cpu) this.stepEnded(this.lastCpu);
    this.lastCpu = ev.cpu;
    switch (ev.k) {
      case 'user_enter': return this.userEnter(ev, i);
      case 'user_exit': {
        this.exits[ev.cpu]++;
        if (this.exits[ev.cpu] > this.enters[ev.cpu] + (this.bootUser[ev.cpu] ? 1 : 0)) {
          this.see('userExitExcess', i, () => `${describeEvent(ev, i)}: cpu${ev.cpu} left user mode ${this.exits[ev.cpu]} times but entered it ${this.enters[ev.cpu]} times (it started in ${this.bootUser[ev.cpu] ? 'user' : 'kernel'} mode)`);
        }
        return;
      }
      case 'load_mm': return this.loadMm(ev, i);
      case 'ipi_send':
        if (MEMBARRIER_IPIS.has(ev.func)) this.see('membarrierIpi', i, ev);
        if (ev.func === 'flush_tlb_func') this.see('flushRequested', i, ev);
        return;
      case 'ipi_handle':
        if (MEMBARRIER_IPIS.has(ev.fn)) this.see('membarrierIpi', i, ev);
        if (ev.fn === 'ipi_mb') this.see('ipiMbHandled', i, ev);
        if (ev.fn === 'do_sync_core') this.see('doSyncCore', i, ev);
        if (ev.fn === 'flush_tlb_func') this.see('flushRequested', i, ev);
        return;
      case 'membarrier_scan': return this.see('membarrierScan', i, ev);
      case 'membarrier':
        if (ev.phase === 'mb_start' || ev.phase === 'mb_end') this.see('membarrierBarrier', i, ev);
        if (ev.phase === 'mb_end') this.windowClosed = true;
        if (ev.phase === 'return' && ev.cmd === 'PRIVATE_EXPEDITED_SYNC_CORE' && (ev.ret ?? 0) === 0) this.syncCoreReturned = true;
        return;
      case 'membarrier_register':
        if (ev.phase === 'ready') this.see('registered', i, ev);
        return;
      case 'path': return this.path(ev, i);
      case 'switch_to': return this.switchTo(ev, i);
      case 'task_mm':
        this.taskMm.set(ev.task, ev.mm);
        return this.mmSeen(ev.mm, i, ev);
      case 'task_new':
        this.taskType.set(ev.task, ev.type);
        this.taskMm.set(ev.task, ev.mm);
        return this.mmSeen(ev.mm, i, ev);
      case 'mm_alloc':
        this.knownMms.add(ev.mm);
        return;
      case 'ref': return this.ref(ev, i);
      case 'mm_teardown': return this.see('mmTeardown', i, ev);
      case 'mmdrop_begin': {
        this.see('mmdropBegin', i, ev);
        const p = this.pending[ev.cpu];
        p.mmdropAt = i;
        p.mmdropEv = ev;
        p.mmdropPath = false;
        return;
      }
      case 'mm_free':
        this.anyFree = true;
        this.pending[ev.cpu].mmdropAt = -1;
        return this.see('mmFreed', i, ev);
      case 'flush_done':
        return this.see('flushRequested', i, ev);
      default:
        return;
    }
  }

  /** A run of events of one CPU (an atomic step) ended: confirm what that step should have finished. */
  private stepEnded(cpu: CpuId): void {
    const p = this.pending[cpu];
    if (p.zeroAt >= 0) {
      this.see('mmCountZero', p.zeroAt, () => describeEvent(p.zeroEv!, p.zeroAt));
      p.zeroAt = -1;
    }
    if (p.mmdropAt >= 0 && !p.mmdropPath) {
      this.see('mmdropDone', p.mmdropAt, () => `${describeEvent(p.mmdropEv!, p.mmdropAt)}, and its step ended without a __mmdrop path`);
      p.mmdropAt = -1;
    }
  }

  private userEnter(ev: Extract<TraceEvent, { k: 'user_enter' }>, i: number): void {
    this.enters[ev.cpu]++;
    const arch = this.init.arch;
    if (arch === 'x86' && ev.via === 'iret') this.see('userEnterIret', i, ev);
    if (arch === 'x86' && this.init.knobs.pti === true) this.see('userEnterPti', i, ev);
    if (arch !== 'x86') this.see('userEnterEretRfi', i, ev);
    if (this.enters[ev.cpu] > this.exits[ev.cpu] + (this.bootUser[ev.cpu] ? 0 : 1)) {
      this.see('userEnterExcess', i, () => `${describeEvent(ev, i)}: cpu${ev.cpu} entered user mode ${this.enters[ev.cpu]} times but left it ${this.exits[ev.cpu]} times (it started in ${this.bootUser[ev.cpu] ? 'user' : 'kernel'} mode)`);
    }
    const mm = this.taskMm.get(ev.task);
    if (mm && mm !== this.bootLoaded[ev.cpu]) {
      this.see('userEnterForeignMm', i, () => `${describeEvent(ev, i)}: ${ev.task} runs on ${mm}, but cpu${ev.cpu} booted with ${this.bootLoaded[ev.cpu]} loaded`);
    }
  }

  private loadMm(ev: Extract<TraceEvent, { k: 'load_mm' }>, i: number): void {
    if (ev.cr3Write) this.see('cr3Write', i, ev);
    if (ev.mm === 'SWITCHING' || this.staticMms.has(ev.mm)) return;
    this.mmSeen(ev.mm, i, ev);
    if (!this.bootCpumask.get(ev.mm)?.has(ev.cpu)) {
      this.see('loadOutsideCpumask', i, () => `${describeEvent(ev, i)}: cpu${ev.cpu} was not in mm_cpumask(${ev.mm}) at boot`);
    }
  }

  private mmSeen(mm: MmId | null, i: number, ev: TraceEvent): void {
    if (mm !== null && !this.knownMms.has(mm)) this.see('foreignMm', i, () => `${describeEvent(ev, i)}: ${mm} is not in the init event`);
  }

  private ref(ev: Extract<TraceEvent, { k: 'ref' }>, i: number): void {
    this.mmSeen(ev.mm, i, ev);
    if (ev.counter === 'mm_count' && ev.value === 0 && !this.staticMms.has(ev.mm)) {
      const p = this.pending[ev.cpu];
      p.zeroAt = i;
      p.zeroEv = ev;
    }
  }

  private path(ev: Extract<TraceEvent, { k: 'path' }>, i: number): void {
    const cpu = ev.cpu;
    const p = this.pending[cpu];
    if (ev.phase === 'begin') {
      this.pathDepth[cpu]++;
      if (SWITCH_FNS.has(ev.fn)) this.switchPathOpen[cpu] = true;
      if (ev.fn === '__mmdrop' && p.mmdropAt >= 0) p.mmdropPath = true;
      return;
    }
    this.pathDepth[cpu] = Math.max(0, this.pathDepth[cpu] - 1);
    if (ev.fn === 'smp_text_poke_batch_finish') this.textPokeBatchEnded = true;
    if (SWITCH_FNS.has(ev.fn) && this.switchPathOpen[cpu]) {
      this.switchPathOpen[cpu] = false;
      this.see('switchDone', i, ev);
      this.confirmSwitch(cpu, i);
    }
    if (MM_PATHS.has(ev.fn)) this.see('mmPathDone', i, ev);
    if (ev.fn === 'kthread_use_mm') this.see('kthreadUseMmDone', i, ev);
    if (ev.fn === 'flush_tlb_mm_range') this.see('flushPathDone', i, ev);
    if (ev.fn === '__mmdrop' && p.mmdropAt >= 0 && p.mmdropPath) {
      this.see('mmdropDone', p.mmdropAt, () => `${describeEvent(p.mmdropEv!, p.mmdropAt)}, whose __mmdrop path ended at event ${i}`);
      p.mmdropAt = -1;
    }
  }

  private switchTo(ev: Extract<TraceEvent, { k: 'switch_to' }>, i: number): void {
    const from = this.taskMm.get(ev.prev) ?? null;
    const to = this.taskMm.get(ev.task) ?? null;
    const userPrev = from !== null && this.taskType.get(ev.prev) === 'user';
    const kernelNext = to === null && this.taskType.get(ev.task) !== 'user';
    const kernelPrev = from === null && this.taskType.get(ev.prev) !== 'user';
    const kind = userPrev && kernelNext ? 'u2k' : kernelPrev && to !== null ? 'k2u' : null;
    const p = this.pending[ev.cpu];
    p.switchKind = kind;
    p.switchAt = i;
    p.switchEv = ev;
    // Without a context-switch path around it, switch_to() itself is where the switch is done.
    if (!this.switchPathOpen[ev.cpu]) this.confirmSwitch(ev.cpu, i);
  }

  private confirmSwitch(cpu: CpuId, end: number): void {
    const p = this.pending[cpu];
    if (p.switchKind === 'u2k') this.see('userToKernelSwitch', p.switchAt, () => `${describeEvent(p.switchEv!, p.switchAt)} (user -> kernel task; the switch ended at event ${end})`);
    if (p.switchKind === 'k2u') this.see('kernelToUserSwitch', p.switchAt, () => `${describeEvent(p.switchEv!, p.switchAt)} (kernel -> user task; the switch ended at event ${end})`);
    p.switchKind = null;
  }
}
