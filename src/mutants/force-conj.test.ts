import { parse } from './ast';
import { configFunctions } from './conditions';
import { applyEdits, enumerateSites, fileSites } from './enumerate';

const sites = enumerateSites().filter((s) => s.operator === 'force-conj');

describe('force-conj', () => {
  it('forces one operand of a compound decision, never the whole condition', () => {
    const text = `
      export function step(k, cpu, f, via) {
        if (k.cpu(cpu).online && !k.cpu(cpu).isLazy) k.mb(cpu, 'a');
        if (f.mm === null || (k.mm(f.mm).users === 1 && k.mm(f.mm).count > 0)) k.mb(cpu, 'b');
        if (k.cpu(cpu).online) k.mb(cpu, 'c');
        const split = k.knob('split');
        if (split && k.cpu(cpu).isLazy) k.mb(cpu, 'd');
        if (k.bug.noLazyMmgrab && k.cpu(cpu).isLazy) k.mb(cpu, 'e');
        if (via === 'iret' && k.cpu(cpu).isLazy) k.mb(cpu, 'f');
      }`;
    const file = 'kernel/fake.ts';
    const found = fileSites(file, text, configFunctions([parse(file, text)])).filter((s) => s.operator === 'force-conj');
    expect(found.map((s) => s.id)).toEqual([
      // a && b: each operand forced true (false would be the whole condition false: force-cond's).
      'kernel/fake:step:force-conj:0:true', 'kernel/fake:step:force-conj:1:true',
      // a || (b && c): a false; b and c forced true; b false (then only a decides: not constant),
      // and c false no more (the same mutant: the group b && c false).
      'kernel/fake:step:force-conj:2:false', 'kernel/fake:step:force-conj:3:true', 'kernel/fake:step:force-conj:3:false',
      'kernel/fake:step:force-conj:4:true',
      // split && lazy: only the kernel-state operand; k.bug and the caller's request are no sites.
      'kernel/fake:step:force-conj:5:true', 'kernel/fake:step:force-conj:6:true',
    ]);
    expect(found[0].description).toContain('"k.cpu(cpu).online" is always true (the conjunct is forgotten)');
    expect(found[2].description).toContain('"f.mm === null" is always false (the alternative is forgotten)');
    expect(applyEdits(text, found[3].edits)).toContain('if (f.mm === null || (((k.mm(f.mm).users === 1) || true) && k.mm(f.mm).count > 0))');
    expect(applyEdits(text, found[6].edits)).toContain('if (split && ((k.cpu(cpu).isLazy) || true))');
  });

  it('finds the engine\'s compound decisions: membarrier\'s short-cut', () => {
    const ids = sites.filter((s) => s.id.startsWith('kernel/membarrier-decisions:membarrierEntry:force-conj:')).map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining(['kernel/membarrier-decisions:membarrierEntry:force-conj:0:true', 'kernel/membarrier-decisions:membarrierEntry:force-conj:1:true']));
    expect(ids).not.toContain('kernel/membarrier-decisions:membarrierEntry:force-conj:0:false');
    // `onlineCpus === 1` true is `mmUsers === 1` true: the short-cut's `||` true, made once.
    expect(ids).not.toContain('kernel/membarrier-decisions:membarrierEntry:force-conj:2:true');
    expect(new Set(sites.map((s) => s.id)).size).toBe(sites.length);
  });
});
