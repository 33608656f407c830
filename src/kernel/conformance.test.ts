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
