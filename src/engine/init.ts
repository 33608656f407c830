/**
 * The initial state: per-CPU idle tasks (lazy on init_mm, sched_init()'s mmgrab_lazy_tlb), the
 * static mms (init_mm, efi_mm, text_poke_mm), `procs` processes of `threads` threads each, and
 * `kthreads` kernel threads. The first CPUs run user threads in user mode; when there are three CPUs
 * or more, the last one starts idle.
 */
import type { ModelConfig } from './contract';
import type { CpuState, KernelState, MmState, TaskState } from './state';
import { EFI_MM, INIT_MM, TEXT_POKE_MM, type InitEvent, type RefOwner, type RefToken } from '../trace/events';

function mm(id: string, isStatic: boolean, users: number, ncpus: number): MmState {
  return { id, isStatic, users, count: 1, freed: false, tornDown: false, membarrierState: 0, cpumask: Array(ncpus).fill(false), tlbGen: 0 };
}

function task(id: string, type: TaskState['type'], tgid: string | null, mmId: string | null): TaskState {
  return {
    id, type, tgid, mm: mmId, activeMm: mmId, state: 'runnable', cpu: null, boundCpu: null,
    where: type === 'user' ? 'syscall' : 'kernel', exiting: false, useMmGrab: null, extUsers: [], frames: [],
  };
}

export function initialState(config: ModelConfig, arch: string, strategy: string, knobs: InitEvent['knobs']): { state: KernelState; init: InitEvent } {
  const n = config.cpus;
  const refs: { mm: string; token: RefToken; owner: RefOwner }[] = [];
  const s: KernelState = {
    cpus: [], tasks: {}, taskOrder: [], mms: {}, mmOrder: [], nextIpiId: 1, nextCallId: 1,
    nextMmSeq: config.procs + 1, nextTaskSeq: 1,
    maxTasks: config.maxTasks ?? config.procs * config.threads + config.kthreads + 3,
    maxMms: config.maxMms ?? config.procs + 3, efiBusy: false,
  };
  for (const id of [INIT_MM, EFI_MM, TEXT_POKE_MM]) {
    s.mms[id] = mm(id, true, 1, n);
    s.mmOrder.push(id);
    refs.push({ mm: id, token: 'users', owner: 'holder:boot' }, { mm: id, token: 'users1', owner: 'mm_users' });
  }
  const users: TaskState[] = [];
  for (let p = 1; p <= config.procs; p++) {
    const mmId = `mm${p}`;
    s.mms[mmId] = mm(mmId, false, config.threads, n);
    s.mmOrder.push(mmId);
    refs.push({ mm: mmId, token: 'users1', owner: 'mm_users' });
    let tgid: string | null = null;
    for (let i = 0; i < config.threads; i++) {
      const id = `T${s.nextTaskSeq++}`;
      tgid = tgid ?? id;
      const t = task(id, 'user', tgid, mmId);
      users.push(t);
      refs.push({ mm: mmId, token: 'users', owner: `task:${id}` });
    }
  }
  const kthreads: TaskState[] = [];
  for (let i = 1; i <= config.kthreads; i++) kthreads.push(task(`K${i}`, 'kthread', null, null));
  const runningUsers = Math.min(users.length, n >= 3 ? n - 1 : n);
  for (let c = 0; c < n; c++) {
    const idle = task(`idle${c}`, 'idle', null, null);
    idle.boundCpu = c;
    const cpu: CpuState = {
      id: c, online: true, curr: idle.id, current: idle.id, idle: idle.id, prevMm: null, rqMembarrierState: 0,
      mode: 'kernel', irqsOff: false, pendingIpis: [], cpuFrame: null, hotplugFrame: null, loadedMm: INIT_MM,
      isLazy: false, localTlbGen: {}, tempMm: null, lazyMmHp: null, dropMmHp: null,
    };
    if (c < runningUsers) {
      const u = users[c];
      u.state = 'running';
      u.cpu = c;
      u.where = 'user';
      cpu.curr = cpu.current = u.id;
      cpu.mode = 'user';
      cpu.loadedMm = u.mm as string;
      cpu.localTlbGen[u.mm as string] = 0;
      s.mms[u.mm as string].cpumask[c] = true;
      idle.activeMm = null;
    } else {
      // sched_init(): "The boot idle thread does lazy MMU switching as well".
      idle.state = 'running';
      idle.cpu = c;
      idle.activeMm = INIT_MM;
      s.mms[INIT_MM].count++;
      refs.push({ mm: INIT_MM, token: 'lazy', owner: `task:${idle.id}` });
    }
    s.cpus.push(cpu);
    s.tasks[idle.id] = idle;
    s.taskOrder.push(idle.id);
  }
  for (const t of [...users, ...kthreads]) {
    s.tasks[t.id] = t;
    s.taskOrder.push(t.id);
  }
  const init: InitEvent = {
    k: 'init', cpu: null, fn: 'start_kernel', arch: arch as InitEvent['arch'], strategy: strategy as InitEvent['strategy'], knobs,
    cpus: s.cpus.map((c) => ({ cpu: c.id, online: true, curr: c.curr, loadedMm: c.loadedMm as string, isLazy: false, rqMembarrierState: 0, mode: c.mode })),
    tasks: s.taskOrder.map((id) => {
      const t = s.tasks[id];
      return { task: id, type: t.type, tgid: t.tgid, mm: t.mm, activeMm: t.activeMm, state: t.state };
    }),
    mms: s.mmOrder.map((id) => {
      const m = s.mms[id];
      return { mm: id, static: m.isStatic, users: m.users, count: m.count, membarrierState: 0, tlbGen: 0, cpumask: m.cpumask.flatMap((b, c) => (b ? [c] : [])) };
    }),
    refs,
    // Every local_irq_disable/enable/save/restore the engine models is an `irqs` event (issue 12).
    irqsTracked: true,
  };
  return { state: s, init };
}
