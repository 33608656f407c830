/**
 * What `lazymm kernel run` reports about one boot: per scenario its size, lost events and elapsed
 * times traced and untraced (the tracing overhead); conformance per rule (./conformance.ts).
 */
import * as path from 'path';
import { conformanceChecks, summarize, type RuleSummary } from './conformance';
import type { BootOutput } from './ftrace';
import { propertyVerdicts, type KernelPropertyVerdict } from './property-verdicts';
import { toLazymm } from './to-lazymm';
import type { TraceEvent } from '../trace/events';

export interface ScenarioSummary {
  name: string;
  rc: number | null;
  events: number;
  lost: number;
  untracedUs: number | null;
  tracedUs: number | null;
}

export interface RunReport {
  kernel: string;
  accel: string;
  bootSeconds: number | null;
  trace: string;
  scenarios: ScenarioSummary[];
  conformance: RuleSummary[];
  /** The properties on the converted traces (every scenario; the worst verdict, the union of what is missing). */
  properties: KernelPropertyVerdict[];
  /** Sum of the scenarios' elapsed times, untraced and traced (microseconds). */
  overhead: { untracedUs: number; tracedUs: number };
}

const RANK = { hold: 0, insufficient: 1, violated: 2 } as const;

function mergeVerdicts(all: KernelPropertyVerdict[][]): KernelPropertyVerdict[] {
  return (all[0] ?? []).map((_, i) => {
    const mine = all.map((v) => v[i]);
    const worst = mine.reduce((a, b) => (RANK[b.verdict] > RANK[a.verdict] ? b : a));
    return { ...worst, missing: [...new Set(mine.flatMap((v) => v.missing))] };
  });
}

/** The scenarios converted to the lazymm trace format (./to-lazymm.ts). */
export function convertAll(output: BootOutput): { scenario: string; events: TraceEvent[] }[] {
  return output.scenarios.map((s) => ({ scenario: s.name, events: toLazymm(s.records, output.kallsyms.init_mm ?? null).events }));
}

export function buildReport(output: BootOutput, meta: { kernel: string; accel: string; bootSeconds: number | null; trace: string }, converted = convertAll(output)): RunReport {
  const scenarios = output.scenarios.map((s) => ({ name: s.name, rc: s.rc, events: s.records.length, lost: s.lost, untracedUs: s.untracedUs, tracedUs: s.elapsedUs }));
  const checks = output.scenarios.flatMap((s) => conformanceChecks(s.name, s.records));
  const sum = (f: (s: ScenarioSummary) => number | null) => scenarios.reduce((a, s) => a + (f(s) ?? 0), 0);
  const properties = mergeVerdicts(converted.map((c) => propertyVerdicts(c.events)));
  return { ...meta, scenarios, conformance: summarize(checks), properties, overhead: { untracedUs: sum((s) => s.untracedUs), tracedUs: sum((s) => s.tracedUs) } };
}

const ms = (us: number | null) => (us === null ? '-' : (us / 1000).toFixed(1));
const pct = (a: number | null, b: number | null) => (a && b ? `${(((b - a) / a) * 100).toFixed(0)}%` : '-');

function table(rows: string[][]): string[] {
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => `  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]))).join('  ')}`.trimEnd());
}

export function reportText(r: RunReport): string[] {
  const out: string[] = [];
  out.push(`lazymm kernel run: ${r.kernel} ${r.accel === 'saved' ? '(saved output)' : `under qemu ${r.accel.toUpperCase()}`}, 3 vCPUs; ${r.scenarios.length} scenario(s) in one boot${r.bootSeconds === null ? '' : ` (${r.bootSeconds.toFixed(1)} s)`}`);
  out.push(`trace: ${path.relative(process.cwd(), r.trace) || r.trace} (lines cited below)`, '');
  out.push('SCENARIOS (elapsed in the guest; overhead = traced vs untraced run of the same workload: meaningful for the storms,');
  out.push('  the best of 3 runs each; the other scenarios are mostly sleeps and one run on a shared machine)');
  out.push(...table([['scenario', 'exit', 'events', 'lost', 'untraced ms', 'traced ms', 'overhead'],
    ...r.scenarios.map((s) => [s.name, String(s.rc ?? '-'), String(s.events), String(s.lost), ms(s.untracedUs), ms(s.tracedUs), pct(s.untracedUs, s.tracedUs)]),
    ['all', '', String(r.scenarios.reduce((a, s) => a + s.events, 0)), String(r.scenarios.reduce((a, s) => a + s.lost, 0)), ms(r.overhead.untracedUs), ms(r.overhead.tracedUs), pct(r.overhead.untracedUs, r.overhead.tracedUs)]]));
  out.push('', "CONFORMANCE (the model's decision functions on the inputs the probes read, against what the kernel did)");
  out.push(...table([['rule', 'agree', 'disagree', 'unjudged', 'agreement'],
    ...r.conformance.map((c) => [c.rule, String(c.agree), String(c.disagree), String(c.unjudged), c.agree + c.disagree === 0 ? '(no point)' : `${((c.agree / (c.agree + c.disagree)) * 100).toFixed(1)}%`])]));
  for (const c of r.conformance) {
    out.push(`  ${c.rule}: ${c.description}`);
    for (const d of c.disagreements) out.push(`    DISAGREE ${d.scenario} lines ${d.lines.join(',')}: model ${d.model}, kernel ${d.kernel}${d.explanation ? ` (${d.explanation})` : ''}`);
  }
  const unjudged = r.conformance.find((c) => c.rule === 'switch-mm-cr3')?.unjudged ?? 0;
  if (unjudged > 0) out.push(`  (switch-mm-cr3 unjudged: ${unjudged} lazy -> same-mm returns, where the kernel compares cpu_tlbstate.ctxs[asid].tlb_gen, which the probes do not read)`);
  out.push('', 'PROPERTIES (on the traces converted to the lazymm format; a verdict only where the trace can feed the property)');
  for (const p of r.properties) {
    out.push(`  ${p.property}: ${p.verdict}${p.violation ? ` (${p.violation})` : ''}`);
    for (const m of p.missing) out.push(`    missing ${m}`);
  }
  return out;
}

export const disagreements = (r: RunReport): number => r.conformance.reduce((a, c) => a + c.disagree, 0);
