/**
 * switch-mm-cr3 against a race the probes cannot close (test/kernel-sample/cr3-flush-race.txt, 31 records
 * of a real 6.1 boot, scenario ge-exit-ctl-block): CPU 0 returns from idle, lazy, to the same
 * mm with ctxs[0].tlb_gen == tlb_gen (14) at the switch_mm_irqs_off() probe, so the model predicts no
 * CR3 write; CPU 1's flush of the mm bumps tlb_gen to 15 before CPU 0's own read, and CPU 0 writes
 * CR3 and stores 15. The later snapshot of ctxs[0].tlb_gen explains the write.
 */
import * as fs from 'fs';
import * as path from 'path';
import { conformanceChecks } from './conformance';
import { parseBootOutput } from './ftrace';

const SAMPLE = path.join(__dirname, '..', '..', 'test', 'kernel-sample', 'cr3-flush-race.txt');
const text = fs.readFileSync(SAMPLE, 'latin1');
const cr3Checks = (t: string) => parseBootOutput(t).scenarios.flatMap((s) => conformanceChecks(s.name, s.records)).filter((c) => c.rule === 'switch-mm-cr3');

describe('switch-mm-cr3 when a flush races the probe', () => {
  test('the CR3 write after a fresh-looking lazy return agrees, explained by the newer generation it stored', () => {
    const checks = cr3Checks(text);
    expect(checks.filter((c) => !c.agree)).toEqual([]);
    expect(checks.find((c) => c.explanation)).toMatchObject({ agree: true, kernel: 'CR3 write', explanation: expect.stringMatching(/bumped tlb_gen between the probe \(14\).*stored 15/) });
  });

  test('without a newer stored generation the same CR3 write is a disagreement', () => {
    const lines = text.split('\n');
    const i = lines.findIndex((l, n) => n > 20 && / g0x0=15 /.test(l));
    expect(i).toBeGreaterThan(0);
    lines[i] = lines[i].replace(' g0x0=15 ', ' g0x0=14 ');
    const bad = cr3Checks(lines.join('\n')).filter((c) => !c.agree);
    expect(bad.map((c) => [c.model, c.kernel])).toEqual([['no CR3 write', 'CR3 write']]);
  });
});
