import type { InitEvent, TraceEvent } from '../src/trace/events';
import { traceCoverage } from './coverage';

/** Two CPUs: T1 (mm1) in user mode on CPU 0, T2 (mm1) in user mode on CPU 1. */
const init: InitEvent = {
  k: 'init',
  cpu: null,
  fn: 'start_kernel',
  arch: 'x86',
  strategy: 'refcount',
  knobs: {},
  cpus: [0, 1].map((cpu) => ({ cpu, online: true, curr: `T${cpu + 1}`, loadedMm: 'mm1', isLazy: false, rqMembarrierState: 0, mode: 'user' as const })),
  tasks: [
    { task: 'T1', type: 'user', tgid: 'mm1', mm: 'mm1', activeMm: 'mm1', state: 'running' },
    { task: 'T2', type: 'user', tgid: 'mm1', mm: 'mm1', activeMm: 'mm1', state: 'running' },
    { task: 'K1', type: 'kthread', tgid: null, mm: null, activeMm: null, state: 'runnable' },
  ],
  mms: [],
  refs: [],
};

/** CPU 0 starts a switch to K1; an IPI from CPU 1 lands on CPU 0 (taken from kernel mode) in its second step. */
const ipiInSwitch: TraceEvent[] = [
  init,
  { k: 'user_exit', cpu: 0, fn: 'entry_SYSCALL_64', task: 'T1', via: 'syscall' },
  { k: 'path', cpu: 0, fn: 'context_switch', phase: 'begin', task: 'T1' },
  { k: 'rq_curr', cpu: 0, fn: '__schedule', task: 'K1' },
  { k: 'ipi_send', cpu: 1, fn: 'smp_call_function_many', id: 1, target: 0, func: 'ipi_mb', mm: 'mm1' },
  { k: 'ipi_handle', cpu: 0, fn: 'ipi_mb', id: 1, from: 1, mm: 'mm1', local: false },
  { k: 'switch_to', cpu: 0, fn: 'context_switch', prev: 'T1', task: 'K1' },
  { k: 'path', cpu: 0, fn: 'context_switch', phase: 'end', task: 'T1' },
];

describe('interleaving coverage', () => {
  it('pairs the path and step in flight on one CPU with what lands from another', () => {
    const cov = traceCoverage(ipiInSwitch, undefined, { explain: true });
    const names = [...cov.explained!];
    // CPU 1 sends to CPU 0 (target bit 1, same mm bit 2) while CPU 0 is at step 2 of context_switch.
    expect(names).toContain('cross A:context_switch#2 kernel user+mm x B:ipi_send:ipi_mb rel7');
    // The IPI is handled on CPU 0 itself, in the middle of the switch, having found it in kernel mode.
    expect(names).toContain('own context_switch#2 kernel user+mm x ipi_handle:ipi_mb');
    expect(names).toContain('ipi ipi_mb from kernel in context_switch#2 kernel user+mm');
    // After switch_to, CPU 0 runs K1 (no mm): CPU 1's view of it changes.
    expect(names).toContain('own context_switch#4 kernel kthread x path:context_switch:end');
    expect(cov.features.size).toBe(cov.explained!.size);
  });

  it('tells an IPI taken from user mode (and the SYSRET after it) from one taken in a path', () => {
    const fromUser: TraceEvent[] = [
      init,
      { k: 'ipi_send', cpu: 1, fn: 'smp_call_function_many', id: 1, target: 0, func: 'ipi_mb', mm: 'mm1' },
      { k: 'user_exit', cpu: 0, fn: 'sysvec_call_function', task: 'T1', via: 'ipi' },
      { k: 'ipi_handle', cpu: 0, fn: 'ipi_mb', id: 1, from: 1, mm: 'mm1', local: false },
      { k: 'user_enter', cpu: 0, fn: 'irqentry_exit_to_user_mode', task: 'T1', via: 'sysret' },
    ];
    const user = traceCoverage(fromUser, undefined, { explain: true });
    expect([...user.explained!]).toEqual(expect.arrayContaining(['ipi ipi_mb from user in - kernel user+mm', 'cross A:- user user+mm x B:ipi_send:ipi_mb rel7']));
    expect([...user.explained!].filter((n) => n.startsWith('ipi-return'))).toHaveLength(1);
    const inPath = traceCoverage(ipiInSwitch);
    expect([...user.features].filter((f) => inPath.features.has(f)).length).toBeLessThan(user.features.size);
  });

  it('adds the configuration shape and is a function of the trace', () => {
    const config = { cpus: 2, procs: 1, threads: 2, kthreads: 1 };
    const a = traceCoverage(ipiInSwitch, config, { explain: true });
    expect(a.explained).toContain('shape 2/1/2/1 shared');
    expect([...traceCoverage(ipiInSwitch, config).features]).toEqual([...a.features]);
    expect(() => traceCoverage(ipiInSwitch.slice(1))).toThrow(/init/);
  });

  it("tells an event that lands on B inside A's path before the path reached B from one after", () => {
    const call = (landing: TraceEvent[], before: boolean): TraceEvent[] => {
      const scan: TraceEvent = { k: 'membarrier_scan', cpu: 0, fn: 'membarrier_private_expedited', call: 1, target: 1, currTask: 'T2', currMm: 'mm1', rqMembarrierState: 1, selected: true };
      const open: TraceEvent[] = [
        init,
        { k: 'user_exit', cpu: 0, fn: 'entry_SYSCALL_64', task: 'T1', via: 'syscall' },
        { k: 'membarrier', cpu: 0, fn: 'membarrier', call: 1, cmd: 'PRIVATE_EXPEDITED', task: 'T1', mm: 'mm1', phase: 'enter' },
        { k: 'mb', cpu: 0, fn: 'membarrier_private_expedited' },
        { k: 'membarrier', cpu: 0, fn: 'membarrier', call: 1, cmd: 'PRIVATE_EXPEDITED', task: 'T1', mm: 'mm1', phase: 'mb_start' },
      ];
      return before ? [...open, ...landing, scan] : [...open, scan, ...landing];
    };
    const syscall: TraceEvent[] = [{ k: 'user_exit', cpu: 1, fn: 'entry_SYSCALL_64', task: 'T2', via: 'syscall' }];
    const inWindow = [...traceCoverage(call(syscall, true), undefined, { explain: true }).explained!];
    expect(inWindow).toContain('window A:membarrier:PRIVATE_EXPEDITED after membarrier:PRIVATE_EXPEDITED:mb_start x B:user_exit:syscall before A reached B');
    const after = [...traceCoverage(call(syscall, false), undefined, { explain: true }).explained!];
    expect(after).toContain('window A:membarrier:PRIVATE_EXPEDITED after scan:ipi:mm x B:user_exit:syscall after A reached B');
    expect(after.filter((n) => n.includes('before A reached B') && n.includes('B:user_exit'))).toEqual([]);
  });
});

describe('conjunction features', () => {
  const mbStart: TraceEvent[] = [
    { k: 'user_exit', cpu: 0, fn: 'entry_SYSCALL_64', task: 'T1', via: 'syscall' },
    { k: 'membarrier', cpu: 0, fn: 'membarrier', call: 1, cmd: 'PRIVATE_EXPEDITED', task: 'T1', mm: 'mm1', phase: 'enter' },
    { k: 'mb', cpu: 0, fn: 'membarrier_private_expedited' },
    { k: 'membarrier', cpu: 0, fn: 'membarrier', call: 1, cmd: 'PRIVATE_EXPEDITED', task: 'T1', mm: 'mm1', phase: 'mb_start' },
  ];
  const syscall1: TraceEvent = { k: 'user_exit', cpu: 1, fn: 'entry_SYSCALL_64', task: 'T2', via: 'syscall' };
  const sysret1: TraceEvent = { k: 'user_enter', cpu: 1, fn: 'syscall_exit_to_user_mode', task: 'T2', via: 'sysret' };
  const scanAndIpi: TraceEvent[] = [
    { k: 'membarrier_scan', cpu: 0, fn: 'membarrier_private_expedited', call: 1, target: 1, currTask: 'T2', currMm: 'mm1', rqMembarrierState: 1, selected: true },
    { k: 'ipi_send', cpu: 0, fn: 'smp_call_function_many', id: 1, target: 1, func: 'ipi_mb', mm: 'mm1' },
    { k: 'ipi_handle', cpu: 1, fn: 'ipi_mb', id: 1, from: 0, mm: 'mm1', local: false },
  ];
  const end: TraceEvent[] = [
    { k: 'membarrier', cpu: 0, fn: 'membarrier', call: 1, cmd: 'PRIVATE_EXPEDITED', task: 'T1', mm: 'mm1', phase: 'mb_end' },
    { k: 'membarrier', cpu: 0, fn: 'membarrier', call: 1, cmd: 'PRIVATE_EXPEDITED', task: 'T1', mm: 'mm1', phase: 'return' },
  ];
  const conj = (trace: TraceEvent[], conjunctions = true) => [...traceCoverage([init, ...trace], undefined, { explain: true, conjunctions }).explained!].filter((n) => /^(entry|ladder) /.test(n)).sort();
  const window = 'membarrier:PRIVATE_EXPEDITED after membarrier:PRIVATE_EXPEDITED:mb_start before reaching B';

  it("names B's IPI in kernel mode after B entered the kernel inside A's window, and how far A's path got", () => {
    expect(conj([...mbStart, syscall1, ...scanAndIpi, ...end])).toEqual(
      [
        `entry [${window}] then ipi ipi_mb from kernel`,
        'ladder membarrier:PRIVATE_EXPEDITED x ipi_send:ipi_mb level 2 entered after membarrier:PRIVATE_EXPEDITED:mb_start',
        'ladder membarrier:PRIVATE_EXPEDITED x membarrier:PRIVATE_EXPEDITED:mb_end level 3 entered after membarrier:PRIVATE_EXPEDITED:mb_start',
        'ladder membarrier:PRIVATE_EXPEDITED x membarrier:PRIVATE_EXPEDITED:return level 3 entered after membarrier:PRIVATE_EXPEDITED:mb_start',
        'ladder membarrier:PRIVATE_EXPEDITED x scan:ipi:mm level 2 entered after membarrier:PRIVATE_EXPEDITED:mb_start',
      ].sort(),
    );
  });

  it('has none of them when the entry and the IPI are in separate kernel stays', () => {
    // B enters inside the window but returns to user before the scan; the IPI then finds it in user mode.
    const separate = conj([...mbStart, syscall1, sysret1, scanAndIpi[0], scanAndIpi[1], { k: 'user_exit', cpu: 1, fn: 'sysvec_call_function', task: 'T2', via: 'ipi' }, scanAndIpi[2], ...end]);
    expect(separate.filter((n) => n.includes('from kernel') || n.includes('level 2 entered after membarrier:PRIVATE_EXPEDITED:mb_start') || n.includes('level 3'))).toEqual([]);
    expect(separate).toContain(`entry [${window}] then ipi 0 then sysret inside the window`);
    // B entered the kernel before the call began: no entry window, so no conjunction at all.
    expect(conj([syscall1, ...mbStart, ...scanAndIpi, ...end])).toEqual([]);
    // Off by default.
    expect(conj([...mbStart, syscall1, ...scanAndIpi, ...end], false)).toEqual([]);
  });
});
