/**
 * x86 serialization counted as the CPU counts it (issue 12 item 4): the IRET that ends an interrupt
 * or NMI taken in kernel mode serializes like the IRET to user mode, and flush_tlb_func()'s local
 * flush (INVLPG or a CR3 write) serializes; arm64 and powerpc return from exceptions by ERET / rfid.
 */
type Script = Parameters<typeof drive>[2];
import { checkTrace } from '../../properties';
import { drive, ofKind, registerFromCpu0, steps } from './drive';

const config = { cpus: 2, procs: 1, threads: 2, kthreads: 0 };
const x86 = { arch: 'x86' as const, strategy: 'refcount' as const };

/** T1 registers SYNC_CORE; T2 (CPU1) is inside a syscall; T1's membarrier(SYNC_CORE) IPIs CPU1. */
const syncCoreIpiInKernel: Script = [
  ...registerFromCpu0('PRIVATE_EXPEDITED_SYNC_CORE'),
  { op: 'syscall', cpu: 1 },
  { op: 'membarrier', cpu: 0, cmd: 'PRIVATE_EXPEDITED_SYNC_CORE' },
  ...steps(0, 4), // MB1, scan CPU0 and CPU1, MB3: IPI CPU1 (and run the handler locally)
  { op: 'ipi', cpu: 1 }, // taken in kernel mode: handler, then IRET back into the syscall
  ...steps(0, 2),
  { op: 'return_to_user', cpu: 0, via: 'iret' },
  { op: 'return_to_user', cpu: 1, via: 'sysret' },
];

describe('the IRET that ends an interrupt taken in kernel mode serializes (x86)', () => {
  it('an IPI handled in kernel mode is followed by an IRET serialization', () => {
    const { perOp } = drive(x86, config, syncCoreIpiInKernel);
    const ipi = perOp[perOp.length - 5];
    expect(ofKind(ipi, 'serialize', 1).map((e) => [e.fn, e.how])).toEqual([['ipi_sync_core', 'sync_core'], ['irqentry_exit', 'iret']]);
  });

  it('so an ipi_sync_core() without sync_core() (variant sync-core-ipi-preempt-sysret) is not a C3 violation when the IPI returns to the same kernel code', () => {
    const { events } = drive({ variant: 'sync-core-ipi-preempt-sysret', ...x86 }, { ...config, cpus: 3 }, [
      ...registerFromCpu0('PRIVATE_EXPEDITED_SYNC_CORE', 3),
      { op: 'syscall', cpu: 1 },
      { op: 'membarrier', cpu: 0, cmd: 'PRIVATE_EXPEDITED_SYNC_CORE' },
      ...steps(0, 5),
      { op: 'ipi', cpu: 1 },
      ...steps(0, 2),
      { op: 'return_to_user', cpu: 1, via: 'sysret' },
    ]);
    const handler = ofKind(events, 'ipi_handle', 1).at(-1);
    expect(handler).toMatchObject({ fn: 'ipi_sync_core' });
    expect(ofKind(events, 'serialize', 1).at(-1)).toMatchObject({ fn: 'irqentry_exit', how: 'iret' });
    expect(checkTrace(events).filter((v) => v.property === 'sync-core-before-usermode')).toEqual([]);
  });

  it('an NMI returns by IRET on x86 and by ERET on arm64', () => {
    const onX86 = drive(x86, config, [{ op: 'syscall', cpu: 1 }, { op: 'nmi', cpu: 1 }]).perOp[1];
    expect(ofKind(onX86, 'serialize').map((e) => [e.fn, e.how])).toEqual([['nmi', 'iret']]);
    const onArm = drive({ arch: 'arm64', strategy: 'refcount' }, config, [{ op: 'nmi', cpu: 1 }]).perOp[0];
    expect(ofKind(onArm, 'serialize').map((e) => [e.fn, e.how])).toEqual([['nmi', 'eret']]);
  });
});

describe("flush_tlb_func()'s local flush serializes (INVLPG, or MOV to CR3 for a full flush)", () => {
  it('the CPU that flushed its TLB for the IPI has a serialize after its local_tlb_gen', () => {
    const { perOp } = drive(x86, config, [
      { op: 'syscall', cpu: 0 },
      { op: 'flush_tlb', cpu: 0, freedTables: false }, // T2 on CPU1 runs mm1 non-lazily: IPI
      ...steps(0, 3), // the mask snapshot, should_flush_tlb(1)'s two reads
      { op: 'ipi', cpu: 1 },
    ]);
    const handled = perOp[5];
    const gen = handled.findIndex((e) => e.k === 'local_tlb_gen');
    const ser = handled.findIndex((e) => e.k === 'serialize' && e.fn === 'flush_tlb_func');
    expect(gen).toBeGreaterThanOrEqual(0);
    expect(ser).toBeGreaterThan(gen);
  });
});
