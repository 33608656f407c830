import './searches';
import { allInstances } from './instances';
import { searchByName } from './search';
import { searchTarget } from './verdict';

describe('coverage searches in the mutant search registry', () => {
  it('are registered and kill a mutant, deterministically for a seed', () => {
    const search = searchByName('coverage');
    expect(search).toBeDefined();
    expect(searchByName('coverage-nofocus')).toBeDefined();
    // finish_task_switch() without its mmdrop_lazy_tlb(): a lazy reference leaks on the first lazy round trip.
    const inst = allInstances().find((i) => i.id === 'kernel/sched:finishTaskSwitchMm:drop-ref:0@x86/refcount')!;
    const target = searchTarget(inst);
    const a = search!.run(target, { seed: 1, budget: 50 });
    expect(a).toMatchObject({ kind: 'kill' });
    expect(a!.runs).toBeLessThanOrEqual(50);
    expect(target.judge(a!.config, a!.outcome)).toBe('kill');
    const b = search!.run(searchTarget(inst), { seed: 1, budget: 50 });
    expect(b!.runs).toBe(a!.runs);
    expect(b!.outcome.ops).toEqual(a!.outcome.ops);
  });
});
