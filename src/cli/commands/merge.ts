/**
 * `lazymm merge FILE...`: combine the `campaign --shard I/N --json` results of N machines into the
 * report of the unsharded campaign (the same matrix, the same --json document, the same exit
 * status). Refuses files that are not shard results, and shards that do not make up one campaign.
 */
import { parseArgs, type FlagSpec } from '../args';
import { MatrixLayout } from '../campaign/render';
import { campaignJson, introLines, tailLines, type CampaignTiming } from '../campaign/report';
import { collectUnits, loadShardDoc } from '../campaign/shard-doc';
import { combineUnits } from '../campaign/units';
import { UsageError } from '../errors';
import { loadFindings, type Finding } from '../findings';
import { println, type CliIo } from '../io';

export const MERGE_FLAGS: readonly FlagSpec[] = [{ name: 'json', kind: 'switch', help: 'print the JSON document of campaign --json instead of the matrix' }];

export function mergeCommand(argv: readonly string[], io: CliIo, known: readonly Finding[] = loadFindings()): number {
  const a = parseArgs('merge', argv, MERGE_FLAGS, true);
  if (a.positionals.length === 0) throw new UsageError('merge: expected one or more FILEs (the --json output of lazymm campaign --shard I/N)');
  const docs = a.positionals.map((file) => ({ file, doc: loadShardDoc(file) }));
  const units = collectUnits(docs);
  const { settings, blocks } = docs[0].doc;
  const findings = known.filter((f) => docs[0].doc.findings.includes(f.id));
  const rows = combineUnits(units);
  const sum = (rs: readonly { seconds: number }[]) => rs.reduce((n, r) => n + r.seconds, 0);
  // Machine time, added over the shards (they ran in parallel: wall time was shorter).
  const timing: CampaignTiming = { engines: sum(rows.engines), variants: sum(rows.variants), findings: sum(rows.findings), total: sum([...rows.engines, ...rows.variants, ...rows.findings]) };
  if (a.switches.has('json')) println(io, JSON.stringify(campaignJson(settings, blocks, rows, timing), null, 2));
  else {
    const layout = new MatrixLayout();
    println(
      io,
      ...introLines(settings, blocks, findings),
      `merged from ${docs.length} shard result${docs.length === 1 ? '' : 's'} (${docs.map((d) => `${d.doc.shard.index}/${d.doc.shard.count}`).join(', ')}); times are machine seconds added over the shards`,
      '',
      ...layout.header('engine', 'label'),
      ...rows.engines.map((r) => layout.row(r)),
      '',
      ...layout.header('variant (must be caught)', 'base'),
      ...rows.variants.map((r) => layout.row(r)),
      ...tailLines(rows, findings, timing),
    );
  }
  return rows.engines.every((r) => r.ok) && rows.variants.every((r) => r.ok) ? 0 : 1;
}
