import { enumerateSites } from './enumerate';
import { enginesForFile } from './instances';

describe('mutant instances', () => {
  it('every engine file with sites runs on some engine (a file split out of another keeps its mutants)', () => {
    // arch/arch.ts and strategies/strategy.ts are interfaces: their sites (if any) run nowhere.
    const files = [...new Set(enumerateSites().map((s) => s.file))].filter((f) => f !== 'arch/arch.ts' && f !== 'strategies/strategy.ts');
    expect(files.filter((f) => enginesForFile(f).length === 0)).toEqual([]);
  });
});
