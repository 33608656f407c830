/**
 * The search-gap yardstick of issue 11 (not a test; docs/search.md "Climbing chains"): runs to kill
 * of each search on the mutants a hand-built ops list kills but earlier searches did not (docs/mutants.md)
 * and the membarrier IPI handlers' barriers on powerpc and arm64,
 * per seed. One line per (search, mutant, seed) as it finishes (`-` = not killed within the budget).
 *
 *     [ONLY=id,id] npx ts-node --transpile-only bench/yardstick.ts BUDGET SEEDS SEARCH [SEARCH ...]   (SEEDS: 1-5 or 1,3)
 */
import '../src/mutants/searches';
import './conj-searches';
import { allInstances } from '../src/mutants/instances';
import { searchByName } from '../src/mutants/search';
import { searchTarget } from '../src/mutants/verdict';

export const YARDSTICK = [
  'kernel/ipi:runIpiFunc:drop-mb:0@powerpc/shootdown',
  'kernel/ipi:runIpiFunc:drop-mb:1@powerpc/shootdown',
  'kernel/exec:stepExecMmap:drop-mb:0@x86/refcount',
  'arch/x86:switchMmFinish:drop-mb:0@x86/refcount',
  'kernel/kthread:stepKthreadUseMm:drop-ref:2@powerpc/shootdown',
  // the membarrier IPI handlers' barriers where rfid / ERET are no memory barrier (docs/mutants.md)
  'kernel/ipi:runIpiFunc:drop-mb:2@powerpc/shootdown',
  'kernel/ipi:runIpiFunc:drop-mb:0@arm64/refcount',
  'kernel/ipi:runIpiFunc:drop-mb:1@arm64/refcount',
  'kernel/ipi:runIpiFunc:drop-mb:2@arm64/refcount',
];

function seedList(text: string): number[] {
  const m = /^(\d+)-(\d+)$/.exec(text);
  if (m) return Array.from({ length: Number(m[2]) - Number(m[1]) + 1 }, (_, i) => Number(m[1]) + i);
  return text.split(',').map(Number);
}

if (require.main === module) {
  const [budgetArg, seedsArg, ...names] = process.argv.slice(2);
  const budget = Number(budgetArg);
  // ONLY=a,b: the yardstick mutants whose id contains one of these
  const only = process.env.ONLY ? YARDSTICK.filter((id) => process.env.ONLY!.split(',').some((s) => id.includes(s))) : YARDSTICK;
  for (const name of names) {
    const search = searchByName(name);
    if (!search) throw new Error(`no search ${name}`);
    for (const id of only) {
      const inst = allInstances().find((i) => i.id === id);
      if (!inst) throw new Error(`no mutant ${id}`);
      for (const seed of seedList(seedsArg)) {
        const t0 = Date.now();
        const hit = search.run(searchTarget(inst), { seed, budget });
        console.log(`${name}\t${id}\tseed ${seed}\t${hit ? `${hit.kind} ${hit.runs}` : '-'}\t${((Date.now() - t0) / 1000).toFixed(0)} s`);
      }
    }
  }
}
