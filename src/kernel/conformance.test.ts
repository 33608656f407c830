/**
 * Conformance on a checked-in excerpt of a real run (test/kernel-sample/ttyS1-sample.txt: the
 * ge-exit, ge-idle-register and exec-mt blocks of a boot of linux-image-6.1.0-57-amd64, with the
 * probes that the rules read kept, CPU 1's switches only in the ge-* blocks).
 */
import * as fs from 'fs';
import * as path from 'path';
import { conformanceChecks, summarize } from './conformance';
import { parseBootOutput } from './ftrace';

const SAMPLE = path.join(__dirname, '..', '..', 'test', 'kernel-sample', 'ttyS1-sample.txt');
const text = fs.readFileSync(SAMPLE, 'latin1');

const checksOf = (t: string) => parseBootOutput(t).scenarios.flatMap((s) => conformanceChecks(s.name, s.records));

describe('conformance of the model to a real 6.1 trace', () => {
  test('every rule the sample exercises agrees, each at least once', () => {
    const summary = summarize(checksOf(text));
    for (const r of summary) {
      expect({ rule: r.rule, disagree: r.disagree }).toEqual({ rule: r.rule, disagree: 0 });
      expect(r.agree).toBeGreaterThan(0);
    }
  });

  test('a kernel that kept rq->membarrier_state across exit_mm() would disagree, citing the line', () => {
    const lines = text.split('\n');
    const exit = checksOf(text).find((c) => c.rule === 'rq-state-exit' && / \[001\] /.test(lines[c.lines[0] - 1]))!;
    const i = exit.lines[0] - 1;
    lines[i] = lines[i].replace(' s1=0x0 ', ' s1=0xc ');
    const bad = checksOf(lines.join('\n')).filter((c) => !c.agree);
    expect(bad.map((c) => [c.rule, c.model, c.kernel, c.lines])).toEqual([['rq-state-exit', '0x0', '0xc', [i + 1]]]);
  });

  test('an IPI mask the scan would not compute is a membarrier-ipi-mask disagreement', () => {
    const lines = text.split('\n');
    const i = lines.findIndex((l) => / scf: .*mask=0x0 func=ipi_mb/.test(l));
    lines[i] = lines[i].replace('mask=0x0', 'mask=0x2');
    const bad = checksOf(lines.join('\n')).filter((c) => !c.agree);
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ rule: 'membarrier-ipi-mask', model: '{}', kernel: '{1}' });
  });

  test('a CPU that changed between the scan and the probe agrees when the entry snapshot gives its bit', () => {
    // The scan reads each CPU between the call's entry (mbe) and the IPI call (scf); here CPU 1 ran a
    // task of a GLOBAL_EXPEDITED-registered mm at the entry and had left it by the probe.
    const lines = text.split('\n');
    const i = lines.findIndex((l) => / scf: .*mask=0x0 func=ipi_mb/.test(l));
    expect(lines[i - 1]).toMatch(/ mbe: .*cmd=2 .* s1=0x0 p1=128 /);
    lines[i - 1] = lines[i - 1].replace(' s1=0x0 p1=128 ', ' s1=0x8 p1=128 ');
    lines[i] = lines[i].replace('mask=0x0', 'mask=0x2');
    const checks = checksOf(lines.join('\n'));
    expect(checks.filter((c) => !c.agree)).toEqual([]);
    expect(checks.find((c) => c.lines.includes(i + 1) && c.rule === 'membarrier-ipi-mask')).toMatchObject({ agree: true, model: '{}', kernel: '{1}', explanation: expect.stringMatching(/^CPU 1 changed/) });
  });
});

describe('conformance races the probes cannot order (synthetic records in the guest format)', () => {
  const MM = '0xffff8880aaaa0000';
  const QMM = '0xffff8880cccc0000';
  const OTHER = '0xffff8880bbbb0000';
  let ts = 0;
  const rec = (comm: string, pid: number, cpu: number, event: string, fields: string) =>
    `${`${comm}-${pid}`.padStart(16)} (${String(pid).padStart(7)}) [00${cpu}] .....  ${String(++ts).padStart(8)}: ${event}: (probe+0x0/0x10) ${fields}`;
  const block = (name: string, body: string[]) => [`#lazymm scenario ${name} rc=0 lazymm-elapsed ${name} 1000`, ...body, `#lazymm end ${name}`].join('\n');
  const snap = (s1: number, p1: number, s2 = 0, p2 = 60) => `s0=0x0 p0=200 m0=${QMM} s1=0x${s1.toString(16)} p1=${p1} m1=${p1 === 0 ? '0x0' : MM} s2=0x${s2.toString(16)} p2=${p2} m2=${OTHER}`;

  test("a CPU whose rq->membarrier_state and rq->curr both changed during the scan: the kernel's bit from a state read before a curr read", () => {
    // CPU 1: P (pid 590) runs with state 0 at Q's entry; ipi_sync_rq_state() sets the bit; P then
    // blocks (rq->curr = idle) before Q's IPI call. The scan read the bit and P: neither end shows both.
    const body = (middle: boolean) => [
      rec('q', 200, 0, 'mbe', `cmd=2 flags=0 cs0=0x0 cu0=1 ${snap(0, 590)}`),
      ...(middle ? [rec('p', 590, 1, 'irsr', snap(8, 590))] : []),
      rec('q', 200, 0, 'scf', `mask=0x2 func=ipi_mb+0x0/0x10 info=0x0 ${snap(8, 0)}`),
    ];
    const ok = checksOf(block('x', body(true))).find((c) => c.rule === 'membarrier-ipi-mask')!;
    expect(ok).toMatchObject({ agree: true, model: '{}', kernel: '{1}', explanation: expect.stringMatching(/^CPU 1 changed during the scan/) });
    // Without the record in between nothing shows the bit and P together: a disagreement.
    expect(checksOf(block('x', body(false))).find((c) => c.rule === 'membarrier-ipi-mask')).toMatchObject({ agree: false, kernel: '{1}' });
  });

  test("a registration between the sched_switch tracepoint and membarrier_switch_mm()'s read: switch_mm_irqs_off()'s probe gives the kernel's value", () => {
    const sw = (nms: number) => rec('h', 60, 2, 'sw', `ppid=60 ptgid=60 pmm=${OTHER} pam=${OTHER} npid=30 ntgid=30 nmm=${MM} nms=0x${nms.toString(16)} ${snap(0, 590, 0, 30)}`);
    const tlb = [0, 1, 2].map((c) => `lm${c}=${OTHER} lz${c}=0 a${c}=0 ${[0, 1, 2, 3, 4, 5].map((x) => `g${c}x${x}=0`).join(' ')}`).join(' ');
    const smm = (nms: number) => rec('h', 60, 2, 'smm', `prev=${OTHER} next=${MM} tpid=30 nms=0x${nms.toString(16)} ntg=0 ${tlb} ${snap(0, 590, 0, 30)}`);
    const fts = rec('kworker/2:0', 30, 2, 'fts', snap(0, 590, 0xc, 30));
    const of = (a: number, b: number) => checksOf(block('x', [sw(a), smm(b), fts])).find((c) => c.rule === 'rq-state-switch')!;
    expect(of(8, 0xc)).toMatchObject({ agree: true, model: '0x8', kernel: '0xc', explanation: expect.stringMatching(/changed during the switch/) });
    expect(of(8, 8)).toMatchObject({ agree: false, model: '0x8', kernel: '0xc' });
  });
});
