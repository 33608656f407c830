/**
 * The switch-window hold of ./weight-rules.ts (tlbInstanceWeight, `flusherOf`): a CPU between its
 * context switch's tlb_gen read and its CR3 write keeps still while another CPU can flush the mm it
 * switches to -- and, since x86 flush_tlb_mm_range() reads each CPU's cpu_tlbstate in its own step
 * (src/engine/arch/x86-flush-steps.ts), while that flush is in flight and has not read it yet.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Op } from '../src/engine/ops';
import { createEngine } from '../src/engine/registry';
import { startRun } from './run';
import { tlbFocus } from './tlb-focus';
import { defaultInstanceWeight } from './weight-rules';

// The interleaving of the flush-skips-switching-cpu fixture, on the correct engine: CPU 2 switches
// to a thread of mm2 and reads its tlb_gen, CPU 0 (a thread of mm2 in a syscall) flushes mm2.
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/variants/flush-skips-switching-cpu.json'), 'utf8'));
const ops = fixture.ops as Op[];
const flushAt = ops.findIndex((op) => op.op === 'flush_tlb');

function runTo(n: number) {
  const run = startRun(createEngine({ arch: 'x86', strategy: 'refcount', knobs: { membarrierSwitchMmFix: true, syncCoreOnLazySameMmSwitch: true } }), fixture.config);
  ops.slice(0, n).forEach((op, i) => run.applyRecorded(op, i));
  return run;
}

describe('the switch-window hold for a flush', () => {
  it('holds the switching CPU while a thread of the mm could start a flush', () => {
    const run = runTo(flushAt);
    expect(tlbFocus(run.view).genRead.get(2)).toBe('mm2');
    expect(run.view.stepPath(0)).toBeNull();
    expect(defaultInstanceWeight({ op: 'step', cpu: 2 }, run.view)).toBe(0);
  });

  it('keeps holding it while that flush is in flight (its per-CPU reads are steps of their own)', () => {
    const run = runTo(flushAt + 1);
    expect(run.view.stepPath(0)).toBe('flush_tlb_mm_range');
    expect(tlbFocus(run.view).genRead.get(2)).toBe('mm2');
    expect(defaultInstanceWeight({ op: 'step', cpu: 2 }, run.view)).toBe(0);
  });
});
