import { configFunctions } from './conditions';
import { applyEdits, enumerateSites, fileSites } from './enumerate';
import { parse } from './ast';

const sites = enumerateSites().filter((s) => s.operator === 'force-cond');
const byId = (id: string) => sites.find((s) => s.id === id);

describe('force-cond', () => {
  it('forces known kernel decisions both ways, the condition still evaluated', () => {
    // membarrier_private_expedited()'s single-user short-cut and context_switch()'s "if (!next->mm)".
    for (const [id, quoted] of [
      ['kernel/membarrier-decisions:membarrierEntry:force-cond:2', '!syncCore && (mmUsers === 1 || onlineCpus === 1)'],
      ['kernel/sched:contextSwitchMm:force-cond:0', 'next.mm === null'],
    ]) {
      const t = byId(`${id}:true`);
      const f = byId(`${id}:false`);
      expect(t?.description).toContain(`(${quoted}) is always true`);
      expect(f?.description).toContain(`(${quoted}) is always false`);
      expect(t?.edits).toEqual([expect.objectContaining({ text: `((${quoted}) || true)` })]);
      expect(f?.edits).toEqual([expect.objectContaining({ text: `((${quoted}) && false)` })]);
    }
  });

  it('takes no variant switch, knob, arch or strategy selection, invariant, trace plumbing or step dispatch', () => {
    const text = `
      function transitionMode(k) { return k.knob('invlpgb'); }
      function uses(k, mm) { return transitionMode(k) ? k.mm(mm).globalAsid : true; }
      export function step(k, cpu, f, via) {
        if (k.bug.noLazyMmgrab) k.mb(cpu, 'a');
        if (k.knob('pti')) k.mb(cpu, 'b');
        const split = k.knob('shouldFlushTlbReads') === 'split';
        if (split) k.mb(cpu, 'c');
        if (uses(k, 1)) k.mb(cpu, 'd');
        if (k.strategy.explicitMembarrierBarriers) k.mb(cpu, 'e');
        if (k.cpu(cpu).online === undefined) throw new Error('invariant');
        if (k.cpu(cpu).isLazy) k.emit({ k: 'note', cpu });
        if (f.pc === 2) k.mb(cpu, 'f');
        if (f.targets.length === 0) f.pc = 3;
        if (via === 'iret') k.mb(cpu, 'g');
        const fn = k.cpu(cpu).isLazy ? 'a' : 'b';
        if (k.cpu(cpu).loadedMm === f.mm) k.mb(cpu, fn);
      }`;
    const file = 'kernel/fake.ts';
    const found = fileSites(file, text, configFunctions([parse(file, text)])).filter((s) => s.operator === 'force-cond');
    expect(found.map((s) => s.id)).toEqual(['kernel/fake:step:force-cond:0:true', 'kernel/fake:step:force-cond:0:false']);
    expect(found[0].description).toContain('if (k.cpu(cpu).loadedMm === f.mm)');
    // The mutated text keeps the call and forces the value.
    expect(applyEdits(text, found[1].edits)).toContain('if (((k.cpu(cpu).loadedMm === f.mm) && false))');
  });

  it('numbers a site once for its two mutants, and no condition of a variant switch is a site', () => {
    expect(sites.length % 2).toBe(0);
    expect(sites.filter((s) => s.id.endsWith(':true')).map((s) => s.id.replace(/:true$/, ':false'))).toEqual(sites.filter((s) => s.id.endsWith(':false')).map((s) => s.id));
    expect(sites.filter((s) => /k\.(bug|knob|arch|strategy)\b/.test(s.description))).toEqual([]);
  });
});
