/**
 * `lazymm list`: the engines (with their mainline / counterfactual / proposed label), the knobs of
 * each arch, the named variants, the properties and the known findings.
 */
import { listEngines, listVariants } from '../../engine/registry';
import type { Arch } from '../../trace/events';
import { allProperties } from '../../../properties';
import { parseArgs, type FlagSpec } from '../args';
import { ARCH_IDS, KNOB_DEFS, engineId } from '../engine-spec';
import { loadFindings } from '../findings';
import { println, type CliIo } from '../io';
import { table, wrapIndented } from '../table';

export const LIST_FLAGS: readonly FlagSpec[] = [{ name: 'json', kind: 'switch', help: 'print one JSON document instead of text' }];

function listing() {
  return {
    engines: listEngines().map((e) => ({ id: e.id, arch: e.arch, strategy: e.strategy, label: e.label, description: e.description })),
    knobs: Object.fromEntries(ARCH_IDS().map((arch: Arch) => [arch, KNOB_DEFS[arch].map((d) => ({ name: d.name, default: d.default, values: d.values, models: d.models }))])),
    variants: listVariants(),
    properties: allProperties.map((p) => ({ id: p.id, title: p.title, reference: p.reference })),
    findings: loadFindings(),
  };
}

export function listCommand(argv: readonly string[], io: CliIo): number {
  const a = parseArgs('list', argv, LIST_FLAGS);
  const l = listing();
  if (a.switches.has('json')) {
    println(io, JSON.stringify(l, null, 2));
    return 0;
  }
  const out: string[] = [];
  out.push('ENGINES (--arch A --strategy S)', ...table(l.engines.map((e) => [e.id, e.label, e.description]), ['engine', 'label', 'description']), '');
  out.push('KNOBS (--knob NAME=VALUE; every default is current mainline)');
  for (const [arch, defs] of Object.entries(l.knobs)) {
    out.push(`  ${arch}:`);
    for (const d of defs) {
      out.push(`    ${d.name} (default ${String(d.default)}; accepts ${d.values.map(String).join(', ')})`, ...wrapIndented(d.models, '        '));
    }
  }
  out.push('', 'VARIANTS (--variant V): historical bugs, each must be caught');
  for (const v of l.variants) {
    out.push(`  ${v.id} (on ${v.base})`, ...wrapIndented(`changes: ${v.change}`, '      '), ...wrapIndented(`breaks: ${v.breaks}`, '      '), ...wrapIndented(`fixed by: ${v.fixedBy}`, '      '));
  }
  out.push('', 'PROPERTIES (--property P)');
  for (const p of l.properties) out.push(`  ${p.id}: ${p.title}`, ...wrapIndented(p.reference, '      '));
  if (l.findings.length > 0) {
    out.push('', 'FINDINGS');
    for (const f of l.findings) {
      const fix = Object.entries(f.fixKnobs ?? {}).map(([k, v]) => `--knob ${k}=${String(v)}`).join(' ');
      out.push(`  ${f.id} [${f.status}] ${f.title}`);
      out.push(...wrapIndented(`on ${engineId(f.engine)}: ${f.property} ${f.clause}; fixture ${f.fixture}${fix ? `; proposed fix: ${fix}` : ''}`, '      '));
      out.push(...wrapIndented(f.summary, '      '));
    }
  }
  println(io, ...out);
  return 0;
}
