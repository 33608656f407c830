import { num, parseBootOutput, parseFtraceLine, ptr, snapshot, symbolName } from './ftrace';

const MBE = '         ge-exit-120     (    120) [002] .....         3143: mbe: (__x64_sys_membarrier+0x0/0x20) cmd=2 flags=0 s0=0xc p0=0 m0=0x0 s1=0x0 p1=121 m1=0xffff8ba31ffb2400 s2=0x0 p2=120 m2=0xffff8ba301060480';

describe('ftrace text', () => {
  test('an event line with record-tgid: task, pid, tgid, cpu, counter timestamp, kprobe fields', () => {
    const r = parseFtraceLine(MBE, 7)!;
    expect(r).toMatchObject({ line: 7, comm: 'ge-exit', pid: 120, tgid: 120, cpu: 2, ts: 3143, event: 'mbe' });
    expect(num(r, 'cmd')).toBe(2);
    expect(snapshot(r, 0)).toEqual({ rqMembarrierState: 0xc, currPid: 0, currMm: null });
    expect(snapshot(r, 1)).toEqual({ rqMembarrierState: 0, currPid: 121, currMm: '0xffff8ba31ffb2400' });
    expect(() => num(r, 'nope')).toThrow('line 7: mbe has no field nope');
  });

  test('idle (no tgid), trace_marker text, a :symbol field, a comm with a dash', () => {
    const idle = parseFtraceLine('          <idle>-0       (-------) [002] d..2.           31: cr3: (load_new_mm_cr3+0x0/0xe0) flush=1', 1)!;
    expect(idle).toMatchObject({ comm: '<idle>', pid: 0, tgid: null, event: 'cr3' });
    const mark = parseFtraceLine(' ge-idle-registe-133     (    133) [000] .....          276: tracing_mark_write: lazymm ge-idle-register prepare', 2)!;
    expect(mark).toMatchObject({ comm: 'ge-idle-registe', pid: 133, text: 'lazymm ge-idle-register prepare' });
    const scf = parseFtraceLine('   x-1 (1) [000] ...1. 9: scf: (smp_call_function_many_cond+0x0/0x330) mask=0x5 func=ipi_mb+0x0/0x10 info=0x0', 3)!;
    expect(symbolName(scf.fields.func)).toBe('ipi_mb');
    expect(ptr(scf, 'info')).toBeNull();
    expect(parseFtraceLine('# tracer: nop', 4)).toBeNull();
  });

  test('the guest output: kallsyms, failed probes, scenario blocks with times and lost events', () => {
    const out = parseBootOutput([
      '#lazymm kallsyms runqueues=203840 init_mm=0xffffffffb875c940',
      '#lazymm probe-failed p:lz/x nowhere',
      '#lazymm untraced ge-exit rc=0 lazymm-elapsed ge-exit 1000 ',
      '#lazymm scenario ge-exit rc=0 lazymm-elapsed ge-exit 1500 ',
      '#lazymm lost ge-exit 3',
      '# tracer: nop',
      MBE,
      '#lazymm end ge-exit',
      MBE,
      '#lazymm done',
    ].join('\n'));
    expect(out.kallsyms).toEqual({ runqueues: '203840', init_mm: '0xffffffffb875c940' });
    expect(out.failedProbes).toEqual(['p:lz/x nowhere']);
    expect(out.done).toBe(true);
    expect(out.scenarios).toHaveLength(1);
    expect(out.scenarios[0]).toMatchObject({ name: 'ge-exit', rc: 0, untracedUs: 1000, elapsedUs: 1500, lost: 3 });
    expect(out.scenarios[0].records.map((r) => r.line)).toEqual([7]);
  });
});
