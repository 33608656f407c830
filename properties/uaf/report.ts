/** Reporting for no-lazy-use-after-free. */
import type { CpuId, MmId } from '../../src/trace/events';
import type { Violation } from '../property';
import { violation, type Explanation } from '../lib/explain';

/** The property id. */
export const NO_LAZY_UAF_ID = 'no-lazy-use-after-free';

/** A no-lazy-use-after-free violation. */
export function uafFail(clause: string, index: number, mm: MmId | null, cpus: CpuId[], x: Explanation): Violation {
  return violation({ property: NO_LAZY_UAF_ID, clause, index, mm, cpus }, x);
}
