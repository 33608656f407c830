/**
 * What `lazymm campaign --shard I/N --json` writes and `lazymm merge` reads: the settings of the
 * whole campaign and the results of this shard's units. A file that is not such a document is
 * refused with its name, the JSON pointer and what was expected; shards that do not make up one
 * campaign (different settings, a unit twice, a unit missing) are refused with which shards.
 */
import * as fs from 'node:fs';
import type { ValidateFunction } from 'ajv/dist/2020';
import { UsageError } from '../errors';
import { parseJson } from '../../fixtures/json-syntax';
import { createAjv, formatSchemaError, toSchemaErrors } from '../../trace/validation';
import type { Shard } from '../../run/shard';
import type { CampaignSettings } from './sections';
import type { UnitResult } from './units';

export const CAMPAIGN_SHARD_FORMAT = 'lazymm-campaign-shard/1';

export interface CampaignShardDoc {
  format: typeof CAMPAIGN_SHARD_FORMAT;
  shard: Shard;
  blocks: number;
  settings: CampaignSettings;
  /** Ids of the findings the campaign ran (section 3). */
  findings: string[];
  totalUnits: number;
  units: UnitResult[];
}

const positive = { type: 'integer', minimum: 1 } as const;
const row = { type: 'object', required: ['id', 'runs', 'opsExecuted', 'seconds'], properties: { id: { type: 'string' }, runs: { type: 'integer', minimum: 0 }, opsExecuted: { type: 'integer', minimum: 0 }, seconds: { type: 'number' } } } as const;

/** The envelope and the unit headers; the rows inside are what this version of lazymm wrote. */
export const CAMPAIGN_SHARD_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['format', 'shard', 'blocks', 'settings', 'findings', 'totalUnits', 'units'],
  properties: {
    format: { const: CAMPAIGN_SHARD_FORMAT, description: `"${CAMPAIGN_SHARD_FORMAT}" (the output of lazymm campaign --shard I/N --json)` },
    shard: { type: 'object', required: ['index', 'count'], additionalProperties: false, properties: { index: positive, count: positive } },
    blocks: positive,
    settings: {
      type: 'object',
      required: ['runs', 'searchRuns', 'maxOps'],
      additionalProperties: false,
      properties: { runs: positive, searchRuns: positive, maxOps: positive, seed: { type: 'integer' } },
    },
    findings: { type: 'array', items: { type: 'string' } },
    totalUnits: { type: 'integer', minimum: 0 },
    units: {
      type: 'array',
      items: {
        type: 'object',
        required: ['unit', 'section', 'id', 'block', 'result'],
        additionalProperties: false,
        properties: {
          unit: { type: 'integer', minimum: 0 },
          section: { enum: ['engine', 'variant', 'finding'] },
          id: { type: 'string' },
          block: { type: 'integer', minimum: 0 },
          result: {
            type: 'object',
            required: ['section', 'row'],
            additionalProperties: false,
            properties: { section: { enum: ['engine', 'variant', 'finding'] }, row },
          },
        },
      },
    },
  },
} as const;

let compiled: ValidateFunction | undefined;

/** Reads and validates one shard file; throws a UsageError (exit 2) naming the file, the JSON pointer and what was expected. */
export function loadShardDoc(file: string): CampaignShardDoc {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const parsed = parseJson(text);
  if (!parsed.ok) throw new UsageError(`${file}:${parsed.line}:${parsed.column}: not JSON: ${parsed.message}`);
  compiled ??= createAjv().compile(CAMPAIGN_SHARD_SCHEMA);
  if (!compiled(parsed.value)) {
    const errors = toSchemaErrors(compiled.errors);
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length === 2 ? '' : 's'})` : '';
    throw new UsageError(`${file}: not a campaign shard result: ${formatSchemaError(errors[0])}${more}`);
  }
  const doc = parsed.value as CampaignShardDoc;
  doc.units.forEach((u, i) => {
    if (u.section !== u.result.section) throw new UsageError(`${file}: /units/${i}/result/section: expected ${JSON.stringify(u.section)} (the unit's section), got ${JSON.stringify(u.result.section)}`);
    if (u.unit >= doc.totalUnits) throw new UsageError(`${file}: /units/${i}/unit: expected integer 0..${doc.totalUnits - 1} (totalUnits is ${doc.totalUnits}), got ${u.unit}`);
  });
  if (doc.shard.index > doc.shard.count) throw new UsageError(`${file}: /shard/index: expected integer 1..${doc.shard.count}, got ${doc.shard.index}`);
  return doc;
}

/** The units of shards that make up one campaign; throws a UsageError when they do not. */
export function collectUnits(docs: readonly { file: string; doc: CampaignShardDoc }[]): UnitResult[] {
  if (docs.length === 0) throw new UsageError('merge: no shard results given');
  const key = (d: CampaignShardDoc) => JSON.stringify([d.settings, d.blocks, d.findings, d.totalUnits, d.shard.count]);
  const first = docs[0];
  const byUnit = new Map<number, string>();
  const units: UnitResult[] = [];
  for (const { file, doc } of docs) {
    if (key(doc) !== key(first.doc)) {
      throw new UsageError(`merge: ${file} (shard ${doc.shard.index}/${doc.shard.count}) is from a different campaign than ${first.file} (settings, blocks, findings or shard count differ)`);
    }
    for (const u of doc.units) {
      const other = byUnit.get(u.unit);
      if (other !== undefined) throw new UsageError(`merge: unit ${u.unit} (${u.section} ${u.id}) is in both ${other} and ${file} (a shard given twice?)`);
      byUnit.set(u.unit, file);
      units.push(u);
    }
  }
  const { totalUnits, shard } = first.doc;
  if (byUnit.size !== totalUnits) {
    const missing = [...Array(totalUnits).keys()].filter((k) => !byUnit.has(k));
    const shards = [...new Set(missing.map((k) => (k % shard.count) + 1))].map((i) => `${i}/${shard.count}`);
    throw new UsageError(`merge: ${missing.length} of ${totalUnits} units missing (shard${shards.length === 1 ? '' : 's'} ${shards.join(', ')} not given)`);
  }
  return units;
}
