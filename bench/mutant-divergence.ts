/**
 * How a mutant changes the trace, op by op (docs/mutants.md uses it to classify survivors):
 * generated runs on the mutant engine (runCheck's default profiles, the fast-check configuration
 * and choice arbitraries), the same ops replayed on the unmutated engine, and for every op the
 * events it produced on both compared: equal, a permutation (the same events in another order,
 * inside one atomic step: no other CPU can run in between) or different (another event, another
 * value, or an op the base does not enable).
 *
 *   npx ts-node bench/mutant-divergence.ts [ID-SUBSTRING] [ENGINE] [RUNS]
 *   npx ts-node bench/mutant-divergence.ts swap-stores x86/refcount 300
 *
 * Prints per mutant: runs whose trace differs, ops permuted, ops different, engine errors, and the
 * first different op (both event lists). Not a test: it runs RUNS x 2 runs per mutant.
 */
import fc from 'fast-check';
import { createEngine } from '../src/engine/registry';
import { formatOp } from '../src/engine/ops';
import { modelConfigArbitrary } from '../arbitraries/config';
import { DEFAULT_MAX_OPS, interleavingArbitrary } from '../arbitraries/interleaving';
import { startRun } from '../arbitraries/run';
import { DEFAULT_PROFILES } from '../arbitraries/weights';
import { allInstances, mutantFactory, type MutantInstance } from '../src/mutants/instances';

export interface StepDivergence {
  runsDiffering: number;
  opsPermuted: number;
  opsDifferent: number;
  errors: number;
  /** The first different op, readable. */
  example: string | null;
}

export function stepDivergence(inst: MutantInstance, runs: number, seed: number): StepDivergence {
  const mutant = mutantFactory(inst.site).createEngine(inst.engine);
  const base = createEngine(inst.engine);
  const profileArb = fc.integer({ min: 0, max: DEFAULT_PROFILES.length - 1 });
  const samples = fc.sample(fc.tuple(modelConfigArbitrary(), profileArb, interleavingArbitrary({ maxOps: DEFAULT_MAX_OPS })), { numRuns: runs, seed });
  const d: StepDivergence = { runsDiffering: 0, opsPermuted: 0, opsDifferent: 0, errors: 0, example: null };
  for (const [config, profile, choices] of samples) {
    const m = startRun(mutant, config, {}, 'none');
    const b = startRun(base, config, {}, 'none');
    let differs = false;
    try {
      for (const choice of choices) {
        const mFrom = m.events.length;
        const op = m.choose(choice, DEFAULT_PROFILES[profile]);
        if (op === undefined) break;
        const bFrom = b.events.length;
        if (!b.applyIfEnabled(op)) {
          differs = true;
          d.opsDifferent++;
          d.example ??= `${formatOp(op)}: not enabled on the base`;
          break;
        }
        const me = m.events.slice(mFrom).map((e) => JSON.stringify(e));
        const be = b.events.slice(bFrom).map((e) => JSON.stringify(e));
        if (me.join('\n') === be.join('\n')) continue;
        differs = true;
        if ([...me].sort().join('\n') === [...be].sort().join('\n')) d.opsPermuted++;
        else {
          d.opsDifferent++;
          d.example ??= `${formatOp(op)}\n    base:   ${be.join('\n            ')}\n    mutant: ${me.join('\n            ')}`;
        }
      }
    } catch (e) {
      differs = true;
      d.errors++;
      d.example ??= `engine error: ${(e as Error).message}`;
    }
    if (differs) d.runsDiffering++;
  }
  return d;
}

if (require.main === module) {
  const [filter = '', engine = 'x86/refcount', runs = '300'] = process.argv.slice(2);
  for (const inst of allInstances().filter((i) => i.id.includes(filter) && i.id.endsWith(`@${engine}`))) {
    const d = stepDivergence(inst, Number(runs), 5);
    console.log(`${inst.id}: runs differing ${d.runsDiffering}/${runs}; ops permuted ${d.opsPermuted}, different ${d.opsDifferent}, errors ${d.errors}`);
    if (d.example && d.opsDifferent + d.errors > 0) console.log(`  ${d.example}`);
  }
}
