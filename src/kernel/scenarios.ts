/**
 * The real-kernel scenarios: one static C workload each (kernel/workloads/<name>.c), run in one boot.
 */
export interface Scenario {
  name: string;
  summary: string;
  /**
   * Untraced and traced runs (the best time of each is reported): more than 1 for the scenarios
   * whose elapsed time is work, not sleeps, so that their tracing overhead means something.
   */
  repeats?: number;
  /** The workload needs the gadget modules (./modules.ts): the guest loads them before it runs. */
  modules?: boolean;
}

export const SCENARIOS: readonly Scenario[] = [
  { name: 'ge-exit', summary: 'global-expedited-stale-rq-state trigger (i): thread exit, then a same-mm switch' },
  { name: 'ge-exit-ctl-block', summary: 'control of ge-exit: the thread blocks instead of exiting' },
  { name: 'ge-exit-ctl-other', summary: 'control of ge-exit: a process of another mm runs in between' },
  { name: 'ge-idle-register', summary: 'global-expedited-stale-rq-state trigger (iii): registration while the CPU idles lazily on the mm' },
  { name: 'ge-register-running', summary: 'control of ge-idle-register: registration while the thread runs' },
  { name: 'pe-lazy', summary: 'PRIVATE_EXPEDITED while a CPU idles lazily on the mm, then while the thread runs' },
  { name: 'sc-lazy', summary: 'PRIVATE_EXPEDITED_SYNC_CORE while a CPU idles lazily on the mm, then while the thread runs' },
  { name: 'exec-mt', summary: 'exec of a registered multi-threaded process (de_thread, exec_mmap)' },
  { name: 'exit-mt', summary: 'exit_group of registered multi-threaded processes' },
  { name: 'flush-storm', summary: 'mprotect/munmap TLB flush storm with a lazy and a running CPU', repeats: 3 },
  { name: 'gfs-aio', summary: 'single-user-shortcuts-miss-kthread-use-mm trigger: single-threaded P calls PRIVATE_EXPEDITED during gadgetfs AIO reads', modules: true },
  { name: 'gfs-aio-ctl', summary: 'control of gfs-aio: P has a second (blocked) thread, mm_users 2', modules: true },
  { name: 'ffs-aio', summary: 'control of gfs-aio: the same with FunctionFS, whose worker holds mm_users in this build', modules: true },
  { name: 'gfs-aio-global', summary: 'single-user-shortcuts-miss-kthread-use-mm trigger (GLOBAL_EXPEDITED form): single-threaded P registers during a gadgetfs AIO copy, Q calls GLOBAL_EXPEDITED', modules: true },
  { name: 'gfs-aio-global-ctl', summary: 'control of gfs-aio-global: P has a second (blocked) thread, mm_users 2', modules: true },
  { name: 'fork-storm', summary: 'fork storm; every third child registers PRIVATE_EXPEDITED and calls it', repeats: 3 },
];

export const scenarioNames = (): string[] => SCENARIOS.map((s) => s.name);
