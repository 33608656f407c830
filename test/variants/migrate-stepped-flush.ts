/**
 * Migrates ops fixtures recorded when x86's flush_tlb_mm_range() was one atomic step (before issue 12
 * item 6): after each `flush_tlb` op, the flush's new steps (the mask snapshot, one should_flush_tlb()
 * read per CPU, the local flush) are inserted right away as `step` ops of the flushing CPU, which
 * reproduces the old atomic interleaving exactly. The fixture's notes record the edit; its event index
 * is then fixed by reindex-fixtures.ts (same property and clause, or it is left alone).
 *
 *   npx ts-node --transpile-only test/variants/migrate-stepped-flush.ts FILE...
 */
import * as fs from 'node:fs';
import { createEngine } from '../../src/engine/registry';
import type { Op } from '../../src/engine/ops';
import type { KernelState } from '../../src/engine/state';
import { FLUSH_WAIT_PC } from '../../src/engine/arch/x86-flush-steps';
import { loadAnyFixture } from '../../src/fixtures/fixture';

function flushPending(s: KernelState, cpu: number): boolean {
  const t = s.tasks[s.cpus[cpu].current];
  const f = t.frames[t.frames.length - 1];
  return f !== undefined && f.fn === 'flush_tlb_mm_range' && f.pc < FLUSH_WAIT_PC;
}

function migrate(file: string): void {
  const fx = loadAnyFixture(file);
  if (!('ops' in fx) || fx.ops === undefined) return;
  const engine = createEngine(fx.engine);
  const { state } = engine.init(fx.config) as { state: KernelState };
  const out: Op[] = [];
  let inserted = 0;
  for (const op of fx.ops as Op[]) {
    engine.apply(state, op);
    out.push(op);
    if (op.op !== 'flush_tlb') continue;
    while (flushPending(state, op.cpu)) {
      const step: Op = { op: 'step', cpu: op.cpu };
      engine.apply(state, step);
      out.push(step);
      inserted++;
    }
  }
  if (inserted === 0) return;
  let text = fs.readFileSync(file, 'utf8');
  const start = text.indexOf('"ops": [');
  const end = text.indexOf(']', text.lastIndexOf('{"op"'));
  text = `${text.slice(0, start)}"ops": [\n${out.map((o) => `    ${JSON.stringify(o)}`).join(',\n')}\n  ${text.slice(end)}`;
  const note = `Migrated (issue 12 item 6): flush_tlb_mm_range() now runs inc_mm_tlb_gen(), then one should_flush_tlb() read per CPU and the local flush as separate steps; ${inserted} step op(s) of the flushing CPU inserted right after its flush_tlb op, which reproduces the old atomic interleaving.`;
  const old = JSON.stringify(fx.notes ?? '');
  if (fx.notes === undefined || !text.includes(old)) throw new Error(`${file}: notes not found verbatim`);
  text = text.replace(old, () => JSON.stringify(`${fx.notes} ${note}`));
  fs.writeFileSync(file, text);
  console.log(`${file}: ${inserted} step(s) inserted`);
}

if (require.main === module) for (const f of process.argv.slice(2)) migrate(f);
