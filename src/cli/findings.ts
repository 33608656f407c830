/**
 * The known findings (src/findings.ts): `list` prints them, `campaign` runs them, and their
 * proposed-fix knobs are what mainline and proposed engines run with in the campaign.
 */
import { FINDINGS, type Finding } from '../findings';
import type { Arch } from '../trace/events';
import { KNOB_DEFS } from './engine-spec';

export type { Finding };

export const loadFindings = (): Finding[] => [...FINDINGS];

/** The same clause: equal text, or the finding names only the clause id (`C4.1`). */
export const sameClause = (found: string, wanted: string): boolean => found === wanted || (!/\s/.test(wanted) && found.split(/\s/)[0] === wanted);

/** The open-upstream finding whose violation this is (same property and clause), if any. */
export function knownFinding(v: { property: string; clause: string }, findings: readonly Finding[] = FINDINGS): Finding | undefined {
  return findings.find((f) => f.status === 'open-upstream' && f.property === v.property && sameClause(v.clause, f.clause));
}

/**
 * The proposed-fix knobs of the open-upstream findings that `arch` has: a fix of generic code (for
 * example membarrierSwitchMmFix) applies to every arch, an x86-only knob only to x86.
 */
export function fixKnobsFor(arch: Arch, findings: readonly Finding[] = FINDINGS): Record<string, boolean> {
  const known = new Set(KNOB_DEFS[arch].map((d) => d.name));
  const out: Record<string, boolean> = {};
  for (const f of findings) {
    if (f.status !== 'open-upstream') continue;
    for (const [k, v] of Object.entries(f.fixKnobs ?? {})) if (known.has(k)) out[k] = v;
  }
  return out;
}
