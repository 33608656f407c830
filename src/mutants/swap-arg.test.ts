import { applyEdits, enumerateSites, fileSites } from './enumerate';
import { MAX_REPLACEMENTS } from './arguments';
import { siteOf } from './types';

const sites = enumerateSites().filter((s) => s.operator === 'swap-arg');
const withText = (text: string) => sites.filter((s) => s.description.includes(text));

describe('swap-arg', () => {
  it('finds known wrong-variable sites with the expected replacement', () => {
    // kthread_use_mm(): mmdrop_lazy_tlb(mm) instead of mmdrop_lazy_tlb(active_mm).
    const drop = withText('mmdrop_lazy_tlb(mm: mm) instead of mmdrop_lazy_tlb(mm: f.oldActive as MmId)');
    expect(drop.map((s) => s.id)).toContainEqual(expect.stringMatching(/^kernel\/kthread:stepKthreadUseMm:swap-arg:\d+:mm$/));
    // context_switch(): switch_mm_irqs_off(prev->active_mm) instead of next->mm.
    expect(withText('switch_mm_irqs_off(next: prevActive) instead of switch_mm_irqs_off(next: next.mm)').map((s) => s.file)).toEqual(['kernel/sched.ts']);
    // membarrier's scan IPIs the caller's CPU instead of the target.
    const ipi = withText('sendIpi(target: cpu) instead of sendIpi(target: target)').filter((s) => s.file === 'kernel/membarrier.ts');
    expect(ipi.length).toBeGreaterThan(0);
    expect(ipi[0].edits).toEqual([expect.objectContaining({ text: 'cpu' })]);
    // A pure decision helper declared with primitives: the registration's scan compares rq->curr's mm with the wrong one.
    expect(withText('syncRunqueuesSelects(currMm: mm) instead of syncRunqueuesSelects(currMm: k.task(c.curr).mm)').length).toBe(1);
    // Owner names are bookkeeping; `next.id` is `f.next` (next = k.task(f.next)).
    expect(sites.filter((s) => /taskOwner\(|c\.curr = f\.next instead of c\.curr = next\.id/.test(s.description))).toEqual([]);
  });

  it('gives each site at most two replacements, tagged by the replacement, with unique ids', () => {
    const bySite = new Map<string, number>();
    for (const s of sites) bySite.set(siteOf(s), (bySite.get(siteOf(s)) ?? 0) + 1);
    expect(Math.max(...bySite.values())).toBeLessThanOrEqual(MAX_REPLACEMENTS);
    expect(new Set(sites.map((s) => s.id)).size).toBe(sites.length);
    for (const s of sites) expect(s.id.endsWith(`:${s.tag}`)).toBe(true);
  });

  it('takes no trace plumbing, executing CPU, configuration, invariant or literal, never the store target itself nor a value a test made equal or a local not yet assigned', () => {
    const text = `
      import type { Kctx } from '../kctx';
      import type { Frame } from '../frames';
      import type { CpuId, MmId } from '../../trace/events';
      export function step(k: Kctx, cpu: CpuId, target: CpuId, mm: MmId, other: MmId): void {
        k.path(target, 'fake', 'begin', 'T1');
        k.emit({ k: 'prev_mm', cpu: target, fn: 'fake', mm });
        k.mb(cpu, 'fake');
        if (k.knob('pti')) k.setPrevMm(cpu, 'fake', null);
        if (!k.mm(mm)) throw new Error(String(k.mm(other).id));
        k.cpu(target).prevMm = mm;
        if (mm === other) k.setPrevMm(cpu, 'fake', mm);
        k.sendIpi(cpu, 'fake', target, 'ipi_mb', { mm });
      }
      export function later(k: Kctx, cpu: CpuId, f: Frame, mm: MmId): void {
        k.setPrevMm(cpu, 'fake', mm);
        f.oldMm = mm;
        k.setPrevMm(cpu, 'fake', f.oldMm);
      }`;
    const found = fileSites('kernel/fake.ts', text).filter((s) => s.operator === 'swap-arg');
    expect(found.map((s) => s.description.replace(/^.*?: /, '')).sort()).toEqual([
      // The accessor of the stored-to runqueue, the stored value (not `k.cpu(target).prevMm` itself), the IPI's target and mm.
      'cpu(id: cpu) instead of cpu(id: target)',
      'k.cpu(target).prevMm = other instead of k.cpu(target).prevMm = mm',
      'sendIpi(target: cpu) instead of sendIpi(target: target) (fake())',
      '{ mm: other } instead of { mm: mm }',
      // A frame field (a kernel local) only once the path assigned it.
      'setPrevMm(mm: mm) instead of setPrevMm(mm: f.oldMm) (fake())',
    ].sort());
    const ipi = found.find((s) => s.tag === 'other' && s.description.includes('{ mm'));
    expect(ipi && applyEdits(text, ipi.edits)).toContain("k.sendIpi(cpu, 'fake', target, 'ipi_mb', { mm: other });");
  });
});
