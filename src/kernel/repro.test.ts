import * as fs from 'fs';
import * as path from 'path';
import { parseBootOutput } from './ftrace';
import { GE_SCENARIOS, judgeGe, judgeGeScenario } from './repro';

const SAMPLE = path.join(__dirname, '..', '..', 'test', 'kernel-sample', 'ttyS1-sample.txt');
const blocks = parseBootOutput(fs.readFileSync(SAMPLE, 'latin1')).scenarios;
const spec = (name: string) => GE_SCENARIOS.find((s) => s.name === name)!;

describe('global-expedited-stale-rq-state judged from a real trace', () => {
  test.each(['ge-exit', 'ge-idle-register'])('%s: five calls, T1 on CPU 1 in each, no IPI to it', (name) => {
    const r = judgeGeScenario(blocks.find((b) => b.name === name)!, spec(name));
    expect(r.calls).toHaveLength(5);
    expect(r.calls.every((c) => c.t1OnCpu && c.rqState === 0 && c.mask === 0 && !c.ipiHandled)).toBe(true);
    expect(r).toMatchObject({ verdict: 'as-expected', missed: 5, sent: 0, mmState: 0xc });
    expect(r.evidence.length).toBeGreaterThan(0);
  });

  test('the same trace judged as a control is unexpected (the judge does not only say yes)', () => {
    const r = judgeGeScenario(blocks.find((b) => b.name === 'ge-exit')!, { ...spec('ge-exit'), role: 'control' });
    expect(r.verdict).toBe('unexpected');
  });

  test('a run without the controls cannot be judged', () => {
    expect(() => judgeGe(blocks)).toThrow('scenario ge-exit-ctl-block was not run');
  });
});
