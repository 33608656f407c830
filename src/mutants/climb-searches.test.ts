import './searches';
import { allInstances } from './instances';
import { searchByName } from './search';
import { searchTarget } from './verdict';

describe('climbing searches in the mutant search registry', () => {
  it.each(['climb', 'climb-norarity', 'climb-nocut', 'climb-noarg'])('%s is registered', (name) => {
    expect(searchByName(name)).toBeDefined();
  });

  it('climb kills a mutant (the kill is the judge\'s; determinism: arbitraries/climb-search.test.ts)', () => {
    const inst = allInstances().find((i) => i.id === 'kernel/sched:finishTaskSwitchMm:drop-ref:0@x86/refcount')!;
    const search = searchByName('climb')!;
    const a = search.run(searchTarget(inst), { seed: 1, budget: 50 });
    expect(a).toMatchObject({ kind: 'kill' });
    expect(a!.runs).toBeLessThanOrEqual(50);
    expect(searchTarget(inst).judge(a!.config, a!.outcome)).toBe('kill');
  });
});
