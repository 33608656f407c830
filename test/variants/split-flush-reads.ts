/**
 * Migrates ops fixtures recorded when x86's should_flush_tlb() read loaded_mm and is_lazy in one step
 * (knob shouldFlushTlbReads='one-step') to the two-step default ('split'): the recorded run is
 * replayed on the one-step engine and, in lockstep, on the split engine; wherever the split engine's
 * `step` only did the loaded_mm read, one more `step` of the same CPU is inserted, so the two reads
 * stay back to back and the interleaving is the recorded one. The fixture is rewritten only if the
 * migrated ops replay to the same property and clause (its event index updated, the reason in its
 * notes); anything else is reported and left alone.
 *
 *   npx ts-node --transpile-only test/variants/split-flush-reads.ts [FILE...]   (default: every fixture under fixtures/)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createEngine } from '../../src/engine/build';
import type { Engine, ModelConfig } from '../../src/engine/contract';
import type { Op } from '../../src/engine/ops';
import type { KernelState } from '../../src/engine/state';
import type { EngineSpec } from '../../src/run/types';
import { checkFixture } from '../../src/fixtures/check';
import { listFixtureFiles, loadAnyFixture } from '../../src/fixtures/fixture';
import { serializeFixture } from '../../src/fixtures/write';

const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures');
const NOTE = "Ops migrated to should_flush_tlb()'s two-step reads (knob shouldFlushTlbReads=split, the default since 2026-12-07): one `step` inserted after each flush step that only read a CPU's loaded_mm, so the two reads stay back to back";

/** Whether `cpu`'s running task has a flush frame that has read a loaded_mm and not yet is_lazy. */
function midRead(s: KernelState, cpu: number): boolean {
  const t = s.tasks[s.cpus[cpu].current];
  return t.frames.some((f) => f.flushLoadedMm !== undefined);
}

/**
 * `ops` recorded with the one-step reads, replayed in lockstep on a one-step and a split engine: one
 * more `step` of the same CPU after each `step` that only did the loaded_mm read on the split engine.
 */
export function migrateOps(spec: EngineSpec, config: ModelConfig, recorded: Op[]): Op[] {
  const old = createEngine({ ...spec, knobs: { ...spec.knobs, shouldFlushTlbReads: 'one-step' } }) as Engine<KernelState>;
  const neu = createEngine({ ...spec, knobs: { ...spec.knobs, shouldFlushTlbReads: 'split' } }) as Engine<KernelState>;
  const a = old.init(config).state;
  const b = neu.init(config).state;
  const ops: Op[] = [];
  for (const op of recorded) {
    old.apply(a, op);
    neu.apply(b, op);
    ops.push(op);
    if (op.op === 'step' && midRead(b, op.cpu)) {
      neu.apply(b, op);
      ops.push(op);
    }
  }
  return ops;
}

function migrate(file: string): void {
  const fx = loadAnyFixture(file);
  if (!('ops' in fx) || fx.ops === undefined || fx.engine.arch !== 'x86' || fx.engine.knobs?.shouldFlushTlbReads !== undefined) return;
  if (checkFixture(fx).ok) return;
  const ops = migrateOps(fx.engine, fx.config, fx.ops as Op[]);
  const migrated = { ...fx, ops };
  const r = checkFixture(migrated);
  const f = r.found;
  if (fx.expect === 'pass' ? !r.ok : f === undefined || f.property !== fx.expect.property || (fx.expect.clause !== undefined && f.clause !== fx.expect.clause)) {
    console.log(`${path.relative(FIXTURES, file)}: left alone: ${r.detail}`);
    return;
  }
  const before = fx.expect === 'pass' ? null : fx.expect.eventIndex;
  if (fx.expect !== 'pass' && f) migrated.expect = { ...fx.expect, eventIndex: f.index };
  migrated.notes = `${fx.notes ? `${fx.notes} ` : ''}${NOTE} (${fx.ops.length} -> ${ops.length} ops${before === null ? '' : `, event ${before} -> ${f?.index}`}).`;
  fs.writeFileSync(file, serializeFixture(migrated));
  console.log(`${path.relative(FIXTURES, file)}: ${fx.ops.length} -> ${ops.length} ops`);
}

if (require.main === module) {
  const given = process.argv.slice(2);
  for (const file of given.length ? given : listFixtureFiles(FIXTURES).filter((f) => f.endsWith('.json') && !f.endsWith('schema.json'))) migrate(file);
}
