import './searches';
import { allInstances } from './instances';
import { searchByName } from './search';
import { searchTarget } from './verdict';

describe('the Go-Explore search in the mutant search registry', () => {
  it('is registered and kills a mutant, deterministically for a seed', () => {
    const search = searchByName('goexplore');
    expect(search).toBeDefined();
    // finish_task_switch() without its mmdrop_lazy_tlb(): a lazy reference leaks on the first lazy round trip.
    const inst = allInstances().find((i) => i.id === 'kernel/sched:finishTaskSwitchMm:drop-ref:0@x86/refcount')!;
    const a = search!.run(searchTarget(inst), { seed: 1, budget: 100 });
    expect(a).toMatchObject({ kind: 'kill' });
    const target = searchTarget(inst);
    expect(target.judge(a!.config, a!.outcome)).toBe('kill');
    const b = search!.run(target, { seed: 1, budget: 100 });
    expect(b!.runs).toBe(a!.runs);
    expect(b!.outcome.ops).toEqual(a!.outcome.ops);
  });
});
