import { applyEdits, enumerateSites, fileSites } from './enumerate';
import { enginesForFile } from './instances';

const sites = enumerateSites().filter((s) => s.operator === 'drop-wait');
const byId = (id: string) => sites.find((s) => s.id === id);

describe('drop-wait', () => {
  it('finds the waits of the engine and names the kernel function that waits', () => {
    expect(byId('kernel/membarrier:stepRegister:drop-wait:0')?.description).toMatch(/^sync_runqueues_membarrier_state\(\) no longer waits/);
    expect(byId('kernel/membarrier:stepMembarrier:drop-wait:0')?.description).toMatch(/^membarrier_global_expedited\(\)\/membarrier_private_expedited\(\) no longer waits/);
    expect(byId('kernel/mm-refs:mmdropFinal:drop-wait:0')?.description).toMatch(/^cleanup_lazy_tlbs\(\) no longer waits/);
    expect(byId('kernel/temp-mm:stepTextPoke:drop-wait:0')?.description).toMatch(/^smp_text_poke_sync_each_cpu\(\) no longer waits/);
    expect(byId('arch/x86-flush-steps:makeX86FlushSteps.step:drop-wait:1')?.description).toMatch(/^native_flush_tlb_multi\(\) no longer waits/);
    // x86's stepped flush runs on the x86 engine (its helper file is imported by arch/x86.ts).
    expect(enginesForFile('arch/x86-flush-steps.ts')).toEqual([['x86', 'refcount']]);
    expect(enginesForFile('arch/radix-flush.ts')).toEqual([['powerpc', 'shootdown']]);
    expect(enginesForFile('arch/broadcast-flush.ts')).toEqual([['powerpc', 'shootdown'], ['arm64', 'refcount']]);
  });

  it('keeps the sends and empties the wait; the end of a wait is no site', () => {
    const text = `
      export function step(k, cpu, f) {
        switch (f.pc) {
          case 1:
            f.waitIpis = [0, 1].map((c) => k.sendIpi(cpu, 'on_each_cpu_mask', c, 'ipi_mb'));
            f.pc = 2;
            return;
          default:
            f.waitIpis = [];
        }
      }
      export function start(k, cpu, mm) {
        const wait = k.strategy.cleanup_lazy_tlbs(k, cpu, mm);
        k.stack.push(newFrame('__mmdrop', { mm, waitIpis: wait }));
        return newFrame('x', { waitIpis: [] });
      }`;
    const found = fileSites('kernel/fake.ts', text, new Set()).filter((s) => s.operator === 'drop-wait');
    expect(found.map((s) => s.id)).toEqual(['kernel/fake:step:drop-wait:0', 'kernel/fake:start:drop-wait:0']);
    expect(found[0].description).toMatch(/^on_each_cpu_mask\(\) no longer waits for its IPIs in kernel\/fake\.ts step\(\) case 1/);
    expect(found[1].description).toMatch(/^cleanup_lazy_tlbs\(\) no longer waits/);
    const mutated = applyEdits(text, found[0].edits);
    expect(mutated).toContain("f.waitIpis = (void ([0, 1].map((c) => k.sendIpi(cpu, 'on_each_cpu_mask', c, 'ipi_mb'))), []);");
    expect(applyEdits(text, found[1].edits)).toContain('{ mm, waitIpis: (void (wait), []) }');
  });
});
