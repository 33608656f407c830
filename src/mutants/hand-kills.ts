/**
 * Mutants killed by a hand-built ops list (docs/mutants.md): the evidence that a mutant is
 * killable although a search may miss it. Three kinds:
 * - `property gap closed`: the mutant survived every search until a property clause was added;
 *   the list shows the new clause fails on the mutant and not on the unmutated engine;
 * - `model gap closed`: the model could not show the bug until it represented what the bug changes
 *   (the store buffer of rq->membarrier_state or of x86 cpu_tlbstate.loaded_mm, knob storeBuffer;
 *   the entry's `knobs`);
 * - `search gap`: the properties already see the bug, but the generated runs rarely reach it.
 * The bench (bench/mutants.ts) counts these mutants as killable whatever the searches do, so a
 * search gap lowers the kill rate instead of vanishing from the denominator.
 * Each entry is checked by ./hand-kills.test.ts: the mutant fails exactly `clause`, the base passes.
 */
import type { Knobs, ModelConfig } from '../engine/contract';
import { KNOBS_BY_ARCH } from '../engine/knobs';

export interface HandKill {
  /** Mutant instance id, `<site id>@<arch>/<strategy>`. */
  mutant: string;
  kind: 'property gap closed' | 'model gap closed' | 'search gap';
  config: ModelConfig;
  /** ./hand-ops.ts text form. */
  ops: string;
  /** `<property> <clause>` the mutant fails. */
  clause: string;
  /** Knobs on top of the instance's (the fix knobs), for both the mutant and the base (e.g. storeBuffer). */
  knobs?: Knobs;
}

/** PRIVATE_EXPEDITED(_RSEQ) registered by T1 on cpu0 (its IPI reaches T2 on cpu1 in user mode). */
const register = (cmd: string) => `syscall 0; membarrier_register 0 ${cmd}; step 0*; ipi 1; step 1*; step 0*`;
/**
 * T1's call: MB1, then T2 enters the kernel inside the window, the scan IPIs cpu1, the IPI is
 * handled in kernel mode (no return-to-user barrier after it), MB5. Where the IRET ending that IPI
 * is itself a full barrier (x86: exception_return()), dropping ipi_mb()'s smp_mb() is equivalent.
 */
const callWithKernelModeIpi = (cmd: string) => `${register(cmd)}; membarrier 0 ${cmd}; step 0; syscall 1; step 0 x3; ipi 1; step 1*; step 0*`;

const TWO_THREADS: ModelConfig = { cpus: 2, procs: 1, threads: 2, kthreads: 1 };
/** T2 (mm2) registers GLOBAL_EXPEDITED and returns to user; T1's GLOBAL call passes MB1; T2 execs in the window. */
export const EXEC_IN_GLOBAL_WINDOW = {
  config: { cpus: 2, procs: 2, threads: 1, kthreads: 1 } as ModelConfig,
  ops:
    'syscall 1; membarrier_register 1 GLOBAL_EXPEDITED; step 1*; return_to_user 1 sysret; syscall 0; membarrier 0 GLOBAL_EXPEDITED; ' +
    'step 0; syscall 1; exec 1; step 1 x1; step 0*',
};
const C4_END = 'membarrier-ordering C4 interval ends in the window ((c)-(d) pairing missing)';
const C4_START = 'membarrier-ordering C4 interval starts in the window ((a)-(e) pairing missing)';
const C4_1 = 'membarrier-ordering C4.1 stale rq->membarrier_state';
/** The store buffer of rq->membarrier_state (docs/store-buffer.md). */
const STORE_BUFFER: Knobs = { storeBuffer: 'rq-membarrier-state' };
/** The store buffer of rq->membarrier_state and x86 cpu_tlbstate.loaded_mm (docs/store-buffer.md, "The second location"). */
const STORE_BUFFER_TLBSTATE: Knobs = { storeBuffer: 'rq-membarrier-state+tlbstate' };
/** T1 (mm1, one user) registers GLOBAL_EXPEDITED on cpu0 and returns to user; T2 (mm2) on cpu1 calls GLOBAL_EXPEDITED. */
const REGISTER_ONE_USER = 'syscall 0; membarrier_register 0 GLOBAL_EXPEDITED; step 0*; return_to_user 0 sysret; syscall 1; membarrier 1 GLOBAL_EXPEDITED; step 1*';
/** T1 registers mm1 (two users: ipi_sync_rq_state() runs on cpu0 and by IPI on cpu1), returns to user; T2 calls GLOBAL_EXPEDITED. */
const REGISTER_TWO_USERS =
  'syscall 0; membarrier_register 0 GLOBAL_EXPEDITED; step 0*; ipi 1; step 1*; step 0*; return_to_user 0 sysret; syscall 1; membarrier 1 GLOBAL_EXPEDITED; step 1*';

export const HAND_KILLS: readonly HandKill[] = [
  {
    // K1 borrows mm1 (get_task_mm(), kthread_use_mm()) on cpu0, gives it back, puts its mm_users.
    mutant: 'kernel/kthread:stepKthreadUnuseMm:drop-ref:1@x86/refcount',
    kind: 'property gap closed',
    config: TWO_THREADS,
    ops: 'syscall 0; schedule 0 K1; step 0*; mmget_not_zero 0 mm1; kthread_use_mm 0 mm1; step 0*; kthread_unuse_mm 0; step 0*; mmput 0 mm1',
    clause: 'refcount-balance C1.1 kthread_use_mm() reference',
  },
  {
    mutant: 'kernel/kthread:stepKthreadUnuseMm:drop-ref:1@powerpc/shootdown',
    kind: 'property gap closed',
    config: TWO_THREADS,
    ops: 'syscall 0; schedule 0 K1; step 0*; mmget_not_zero 0 mm1; kthread_use_mm 0 mm1; step 0*; kthread_unuse_mm 0; step 0*; mmput 0 mm1',
    clause: 'refcount-balance C1.1 kthread_use_mm() reference',
  },
  {
    // cpu1 runs T3 (mm2) when T1's PRIVATE_EXPEDITED call scans it (no IPI), then switches to T2
    // (mm1) and returns to user before MB5: only load_new_mm_cr3() orders T2 after the rq->curr store.
    mutant: 'arch/x86:switchMmFinish:drop-mb:0@x86/refcount',
    kind: 'property gap closed',
    config: { cpus: 3, procs: 2, threads: 2, kthreads: 1 },
    ops:
      'syscall 1; schedule 1 T3; step 1*; return_to_user 1 sysret; syscall 0; membarrier_register 0 PRIVATE_EXPEDITED; step 0*; ' +
      'membarrier 0 PRIVATE_EXPEDITED; step 0 x3; syscall 1; schedule 1 T2; step 1*; return_to_user 1 sysret; step 0*',
    clause: 'membarrier-ordering C4.3 no barrier after the update the scan missed ((a)-(e) pairing)',
    // cpu1 is still in mm_cpumask(mm1) when it switches back to T2: since 83b0177a6c48 (knob
    // switchingStoreFence='smp_mb', the default) switch_mm_irqs_off()'s "else smp_mb()" orders T2
    // after the rq->curr store, so these ops kill the mutant only on the v6.15-v6.17 kernel.
    knobs: { switchingStoreFence: 'barrier' },
  },
  {
    // cpu1's text_poke() leaves text_poke_mm's mask with its bit still set; cpu0's text_poke() then
    // flushes text_poke_mm with IRQs off although another CPU is in the mask.
    mutant: 'kernel/temp-mm:unuseTemporaryMm:drop-cpu:0@x86/refcount',
    kind: 'property gap closed',
    config: TWO_THREADS,
    ops: 'syscall 1; text_poke 1 false; step 1*; syscall 0; text_poke 0 false; step 0*',
    clause: 'tlb-coherence C6.5 flush_tlb_mm_range() with IRQs off must IPI',
  },
  {
    // __schedule()'s smp_mb__after_spinlock(): T2 is preempted to a kthread (rq->curr = K1, lazy, no
    // switch_mm()) between MB1 and the scan, which then skips cpu1; nothing else orders T2's interval.
    // On x86 rq_lock()'s LOCK CMPXCHG is the barrier and smp_mb__after_spinlock() a no-op (the mutant
    // is equivalent there, hand-kills.test.ts); on arm64 switch_to()'s dsb(ish) orders it later.
    mutant: 'kernel/sched:schedule:drop-mb:0@powerpc/shootdown',
    kind: 'search gap',
    config: TWO_THREADS,
    ops: `${register('PRIVATE_EXPEDITED')}; membarrier 0 PRIVATE_EXPEDITED; step 0; preempt 1 K1; step 1*; step 0*`,
    clause: C4_END,
  },
  ...(['powerpc/shootdown', 'arm64/refcount'] as const).flatMap((engine) =>
    (['PRIVATE_EXPEDITED', 'PRIVATE_EXPEDITED_RSEQ'] as const).map((cmd, site): HandKill => ({
      // ipi_mb() / ipi_rseq(): rfid and ERET are context synchronizing, not memory barriers.
      mutant: `kernel/ipi:runIpiFunc:drop-mb:${site}@${engine}`,
      kind: 'search gap',
      config: TWO_THREADS,
      ops: callWithKernelModeIpi(cmd),
      clause: C4_END,
    })),
  ),
  ...(['powerpc/shootdown', 'arm64/refcount'] as const).map((engine): HandKill => ({
    // membarrier_exec_mmap()'s barrier: T2 (mm2, GLOBAL_EXPEDITED) execs inside T1's GLOBAL call
    // window; the scan then skips cpu1 (rq state cleared) and activate_mm()'s barrier comes later.
    // On x86 the task_lock() right before it is a LOCK CMPXCHG: equivalent there (hand-kills.test.ts).
    mutant: `kernel/exec:stepExecMmap:drop-mb:0@${engine}`,
    kind: 'search gap',
    config: EXEC_IN_GLOBAL_WINDOW.config,
    ops: EXEC_IN_GLOBAL_WINDOW.ops,
    clause: C4_END,
  })),
  {
    // kthread_use_mm()'s trailing mmdrop_lazy_tlb() is only a barrier under MMU_LAZY_TLB_SHOOTDOWN,
    // and powerpc's switch_mm_irqs_off() returns early when K1 was lazy on the same mm.
    mutant: 'kernel/kthread:stepKthreadUseMm:drop-ref:2@powerpc/shootdown',
    kind: 'search gap',
    config: TWO_THREADS,
    ops:
      'syscall 1; schedule 1 K1; step 1*; mmget_not_zero 1 mm1; syscall 0; membarrier_register 0 PRIVATE_EXPEDITED; step 0*; ' +
      'membarrier 0 PRIVATE_EXPEDITED; step 0 x3; kthread_use_mm 1 mm1; step 1*; step 0*',
    clause: C4_START,
  },
  {
    // 83b0177a6c48's "else smp_mb()" in switch_mm_irqs_off() (Stephen Dolan's race, CVE-2025-40174):
    // cpu0 returns from T4 (mm2) to T1 (mm1), still in mm_cpumask(mm1), so no LOCK BTS; without the
    // barrier LOADED_MM_SWITCHING is still in its store buffer when cpu1's flush of mm1 bumps tlb_gen
    // and should_flush_tlb() reads cpu0's loaded_mm (mm2): no IPI, and cpu0 loads mm1 at generation 0.
    mutant: 'arch/x86:switchMmBegin:drop-mb:1@x86/refcount',
    kind: 'model gap closed',
    config: { cpus: 2, procs: 2, threads: 2, kthreads: 0 },
    ops: 'preempt 0 T4; step 0 x4; schedule 0 T1; step 0 x2; syscall 1; flush_tlb 1 false; step 1 x3; step 0 x2; step 1 x2',
    clause: 'tlb-coherence C6.4 flush completed with a stale TLB',
    knobs: STORE_BUFFER_TLBSTATE,
  },
  {
    // switch_mm_irqs_off()'s lazy same-mm return: "The barrier synchronizes with the tlb_gen increment
    // in the TLB shootdown code." cpu0 goes lazy on mm1 (K1) and returns to T1: without the smp_mb()
    // its is_lazy = false store is still in its store buffer when it reads tlb_gen (0, fresh: no CR3
    // write) and when cpu1's flush of mm1 reads is_lazy (true: skipped); T1 runs on generation 0.
    mutant: 'arch/x86:switchMmBegin:drop-mb:0@x86/refcount',
    kind: 'model gap closed',
    config: TWO_THREADS,
    ops: 'syscall 0; schedule 0 K1; step 0*; schedule 0 T1; step 0 x2; syscall 1; flush_tlb 1 false; step 1*; step 0*; return_to_user 0 sysret',
    clause: 'tlb-coherence C6.4 stale TLB in user mode',
    knobs: STORE_BUFFER_TLBSTATE,
  },
  ...(['powerpc/shootdown', 'arm64/refcount'] as const).flatMap((engine): HandKill[] => [
    {
      // sync_runqueues_membarrier_state()'s single-user path: "this_cpu_write(runqueues.membarrier_state,
      // membarrier_state); smp_mb();". Without the barrier the store stays in cpu0's store buffer
      // (atomic_or(READY) is unordered there; x86's LOCK OR drains it: equivalent on x86); T1 returns
      // to user with rq0 still 0 in memory, and T2's GLOBAL_EXPEDITED scan skips cpu0.
      mutant: `kernel/membarrier:stepRegister:drop-mb:0@${engine}`,
      kind: 'model gap closed',
      config: { cpus: 2, procs: 2, threads: 1, kthreads: 1 },
      ops: REGISTER_ONE_USER,
      clause: C4_1,
      knobs: STORE_BUFFER,
    },
    {
      // ipi_sync_rq_state() run locally by on_each_cpu_mask() on the registering CPU (mm1 has two
      // users): same as above. T2's copy on cpu1 is made visible by csd_unlock() before READY.
      mutant: `kernel/ipi:runIpiFunc:drop-mb:3@${engine}`,
      kind: 'model gap closed',
      config: TWO_THREADS,
      ops: REGISTER_TWO_USERS,
      clause: C4_1,
      knobs: STORE_BUFFER,
    },
    // The same two barriers moved before their store ("Issue a memory barrier after setting ..."):
    // the store is then as unordered as without the barrier.
    { mutant: `kernel/membarrier:stepRegister:swap-stores:0@${engine}`, kind: 'model gap closed', config: { cpus: 2, procs: 2, threads: 1, kthreads: 1 }, ops: REGISTER_ONE_USER, clause: C4_1, knobs: STORE_BUFFER },
    { mutant: `kernel/ipi:runIpiFunc:swap-stores:1@${engine}`, kind: 'model gap closed', config: TWO_THREADS, ops: REGISTER_TWO_USERS, clause: C4_1, knobs: STORE_BUFFER },
  ]),
  {
    // drop-wait: sync_runqueues_membarrier_state() no longer waits for ipi_sync_rq_state() on cpu1,
    // where T2 runs mm1 in user mode: the registration sets READY while cpu1's rq->membarrier_state
    // is still 0 (the base stops at the wait: its `step 0*` ends there). x86 only needs it: the
    // searches kill it in 1,000 runs on powerpc and arm64, at 1,487 on x86 (docs/mutants.md).
    mutant: 'kernel/membarrier:stepRegister:drop-wait:0@x86/refcount',
    kind: 'search gap',
    config: TWO_THREADS,
    ops: 'syscall 0; membarrier_register 0 GLOBAL_EXPEDITED; step 0*',
    clause: C4_1,
  },
];

const byMutant = new Map(HAND_KILLS.map((h) => [h.mutant, h]));

/**
 * The hand-built kill of mutant instance `id`, if one is recorded that applies to an engine with
 * `knobs` (a kill that needs a knob value, such as storeBuffer=rq-membarrier-state, applies only
 * where the engine has it: set in `knobs`, or the arch's default when `knobs` leaves it out).
 */
export function handKillFor(id: string, knobs: Knobs = {}): HandKill | undefined {
  const h = byMutant.get(id);
  if (h === undefined) return undefined;
  const arch = id.slice(id.lastIndexOf('@') + 1).split('/')[0] as keyof typeof KNOBS_BY_ARCH;
  const defs = KNOBS_BY_ARCH[arch] ?? [];
  const value = (k: string) => (k in knobs ? knobs[k] : defs.find((d) => d.name === k)?.default);
  // storeBuffer values name the buffered locations joined by '+': an engine that buffers more
  // locations than a kill needs still has the kill's store buffer.
  const has = (k: string, v: unknown) => {
    const got = value(k);
    return got === v || (k === 'storeBuffer' && typeof got === 'string' && typeof v === 'string' && got.split('+').includes(v));
  };
  return Object.entries(h.knobs ?? {}).every(([k, v]) => has(k, v)) ? h : undefined;
}
