import * as fs from 'fs';
import * as path from 'path';
import { validateTrace } from '../trace/schema';
import { parseBootOutput } from './ftrace';
import { propertyVerdicts } from './property-verdicts';
import { toLazymm } from './to-lazymm';

const SAMPLE = path.join(__dirname, '..', '..', 'test', 'kernel-sample', 'ttyS1-sample.txt');
const out = parseBootOutput(fs.readFileSync(SAMPLE, 'latin1'));
const geExit = out.scenarios.find((s) => s.name === 'ge-exit')!;

describe('a real 6.1 trace in the lazymm trace format', () => {
  const { events, mms } = toLazymm(geExit.records, out.kallsyms.init_mm);

  test('every event is valid against the trace schema; init first and only first', () => {
    expect(validateTrace({ format: 'lazymm-trace/1', events })).toEqual({ ok: true });
    expect(events[0].k).toBe('init');
    expect(events.slice(1).some((e) => e.k === 'init')).toBe(false);
  });

  test('mm pointers are renamed; the calls of Q have a scan per other CPU with the kernel\'s choice', () => {
    expect(Object.values(mms)).toContain('mm1');
    expect(JSON.stringify(events)).not.toMatch(/0xffff/);
    const scans = events.filter((e) => e.k === 'membarrier_scan');
    expect(scans.length).toBeGreaterThanOrEqual(10);
    expect(events.filter((e) => e.k === 'membarrier' && e.cmd === 'GLOBAL_EXPEDITED' && e.phase === 'mb_end')).toHaveLength(5);
    const stale = scans.filter((e) => e.k === 'membarrier_scan' && e.target === 1 && e.currMm !== null && e.rqMembarrierState === 0 && !e.selected);
    expect(stale).toHaveLength(5);
  });

  test('every property is insufficient on it, each naming what 6.1 cannot show', () => {
    const v = propertyVerdicts(events);
    expect(v.map((x) => x.verdict)).toEqual(v.map(() => 'insufficient'));
    expect(v.find((x) => x.property === 'membarrier-ordering')!.missing.join(' ')).toContain('CPU 0');
  });
});
