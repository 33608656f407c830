/**
 * A hand-built ops list on a mutant and on the unmutated engine (docs/mutants.md "search gap" and
 * "property gap" evidence): both engines are driven op by op, then every property checks each trace.
 *
 *   npx ts-node --transpile-only bench/mutant-ops.ts MUTANT-ID CONFIG OPS [KNOB=VALUE ...]
 *   npx ts-node --transpile-only bench/mutant-ops.ts kernel/kthread:stepKthreadUnuseMm:drop-ref:1@x86/refcount \
 *     2/1/2/1 'kthread_use_mm 0 mm1 @K1; step 0*; kthread_unuse_mm 0; step 0*'
 *
 * CONFIG is cpus/procs/threads/kthreads. OPS is `;`-separated: `KIND CPU [ARG] [key=value ...]`,
 * where the single positional ARG is the op's main argument (next, via, cmd, mm, sync, cloneVm,
 * freedTables); `step C*` steps CPU C until its path waits or ends, `step C xN` N times. An op
 * not enabled on an engine stops that engine's run (its enabled ops are printed). A knob
 * overrides the instance's engine spec (the base gets the same). Prints each engine's violations.
 */
import { createEngine } from '../src/engine/registry';
import type { Engine, ModelConfig } from '../src/engine/contract';
import type { EngineSpec } from '../src/run/types';
import { checkTrace } from '../properties/index';
import { allInstances, mutantFactory } from '../src/mutants/instances';
import { driveOps, parseOps, value, type HandDriven } from '../src/mutants/hand-ops';

function report(name: string, d: HandDriven): void {
  const v = checkTrace(d.events);
  console.log(`${name}: ${d.events.length} events${d.stopped ? `; STOPPED: ${d.stopped}` : ''}`);
  if (v.length === 0) console.log('  no violation');
  for (const x of v) console.log(`  ${x.property} ${x.clause} at event ${x.index}\n    ${x.message}`);
}

if (require.main === module) {
  const [id, configText, opsText, ...knobArgs] = process.argv.slice(2);
  const inst = allInstances().find((i) => i.id === id);
  if (!inst) throw new Error(`no mutant ${id}`);
  const [cpus, procs, threads, kthreads] = configText.split('/').map(Number);
  const config: ModelConfig = { cpus, procs, threads, kthreads };
  const knobs = { ...(inst.engine.knobs ?? {}) };
  for (const k of knobArgs) knobs[k.split('=')[0]] = value(k.split('=')[1]);
  const spec: EngineSpec = { ...inst.engine, knobs };
  const items = parseOps(opsText);
  const m = driveOps(mutantFactory(inst.site).createEngine(spec) as Engine<unknown>, config, items);
  const b = driveOps(createEngine(spec) as Engine<unknown>, config, items);
  if (process.env.TRACE) for (const e of m.events) console.log(JSON.stringify(e));
  report(`mutant ${id}`, m);
  report(`base ${spec.arch}/${spec.strategy} ${JSON.stringify(knobs)}`, b);
}
