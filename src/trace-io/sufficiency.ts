/**
 * Can a trace support a verdict of a property? A property must never pass silently on a trace that
 * lacks the events it reads. Rule (docs/engine-contract.md): a property is *insufficient* for a
 * trace when an event kind its verdict depends on never occurs although the trace shows evidence
 * that a complete trace would contain it (./sufficiency-rules.ts lists the kinds and the evidence).
 * A property that found a violation keeps the verdict "violated"; the missing kinds are then
 * reported next to it, because they may explain the violation.
 */
import type { EventKind } from '../trace/events';
import { EVIDENCE_TEXT, SUFFICIENCY_RULES } from './sufficiency-rules';
import type { Evidence, EvidenceKey, TraceFacts } from './trace-facts';

/** One event kind a property needs and the trace lacks. */
export interface MissingKind {
  kind: EventKind;
  /** What the property uses the kind for. */
  needs: string;
  /** The first evidence that a complete trace would contain it. */
  evidence: Evidence & { key: EvidenceKey; implies: string };
}

/** The kinds property `propertyId` needs and the trace described by `facts` lacks ([] = sufficient). */
export function missingKinds(propertyId: string, facts: TraceFacts): MissingKind[] {
  const out: MissingKind[] = [];
  for (const rule of SUFFICIENCY_RULES[propertyId] ?? []) {
    if (facts.kinds.has(rule.kind) || out.some((m) => m.kind === rule.kind)) continue;
    if (rule.onlyIf && !rule.onlyIf(facts.init)) continue;
    const key = rule.evidence.find((k) => facts.evidence.has(k));
    if (key === undefined) continue;
    out.push({ kind: rule.kind, needs: rule.needs, evidence: { ...facts.evidence.get(key)!, key, implies: EVIDENCE_TEXT[key] } });
  }
  return out;
}

/** One line per missing kind: `no \`serialize\` event, but event 12 (...): an x86 IRET ... (needed for: ...)`. */
export function describeMissing(m: MissingKind): string {
  return `no \`${m.kind}\` event, but ${m.evidence.event}: ${m.evidence.implies} (needed for ${m.needs})`;
}

/**
 * A note when a property held without its premise ever occurring (it had nothing to judge), so that
 * a pass on a trace without the relevant calls is not mistaken for evidence.
 */
export function vacuityNote(propertyId: string, facts: TraceFacts): string | undefined {
  if (propertyId === 'sync-core-before-usermode' && !facts.syncCoreReturned && !facts.textPokeBatchEnded) {
    return 'vacuous: no membarrier(PRIVATE_EXPEDITED_SYNC_CORE) call returned 0 and no text_poke batch ended in this trace';
  }
  if (propertyId === 'membarrier-ordering' && !facts.windowClosed) {
    return 'C4 vacuous: no expedited membarrier() call reached its exit barrier (mb_end) in this trace';
  }
  return undefined;
}
