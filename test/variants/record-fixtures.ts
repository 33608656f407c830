/**
 * Records every named variant's shrunk counterexample as a fixture:
 * fixtures/variants/<variant-id>.json (status 'caught-variant').
 *
 *   npx ts-node --transpile-only test/variants/record-fixtures.ts [VARIANT...]
 *
 * Each variant is checked as `lazymm` checks a variant (arbitraries/variant-check.ts: the proposed
 * fixes of the open findings on, except those that would mask the variant's bug; the differential
 * criterion against the base engine; the property the variant must break) with a fixed seed, and
 * the counterexample is written with writeFixture (src/fixtures/write.ts). An existing file is
 * never overwritten (writeFixture refuses): delete it by hand to re-record. If the fixed seed does
 * not catch the variant within the budget, the next seeds are tried (the provenance says which).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCheck } from '../../arbitraries/check';
import { isExpectedBreak, variantCheckOptions } from '../../arbitraries/variant-check';
import { VARIANTS } from '../../src/engine/variants';
import { FIXTURE_FORMAT, FixtureError, fixtureFileName, writeFixture, type Fixture } from '../../src/fixtures/fixture';
import { fastCheckVersion } from '../../src/fixtures/provenance';
import type { CheckResult, EngineSpec } from '../../src/run/types';

/** The seed each variant is checked with first. */
export const RECORD_SEED = 1;
/** Seeds tried after it when it does not catch the variant. */
const EXTRA_SEEDS = 4;
/** Random runs per seed. */
const RUNS = 20000;

const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const VARIANT_FIXTURES_DIR = path.join(REPO_ROOT, 'fixtures', 'variants');
const COMMAND = 'npx ts-node --transpile-only test/variants/record-fixtures.ts';

function firstSentence(text: string): string {
  const m = /^(.*?[.!?])(\s|$)/.exec(text);
  const s = (m ? m[1] : text).trim();
  return s.length > 300 ? `${s.slice(0, 297)}...` : s;
}

const knobText = (spec: EngineSpec): string =>
  Object.entries(spec.knobs ?? {})
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ') || 'none';

/** Records one variant; returns a line for the summary. */
function record(id: string): string {
  const v = VARIANTS.find((x) => x.id === id);
  if (!v) return `${id}: unknown variant`;
  const file = path.join(VARIANT_FIXTURES_DIR, fixtureFileName(id));
  if (fs.existsSync(file)) return `${id}: kept ${path.relative(REPO_ROOT, file)} (delete it to re-record)`;
  let result: CheckResult | undefined;
  let seed = RECORD_SEED;
  for (; seed < RECORD_SEED + 1 + EXTRA_SEEDS; seed++) {
    const r = runCheck(variantCheckOptions(id, { seed, runs: RUNS }));
    const cx = r.counterexample;
    if (cx && isExpectedBreak(v, cx.property, cx.clause)) {
      result = r;
      break;
    }
  }
  const cx = result?.counterexample;
  if (!result || !cx) return `${id}: NOT CAUGHT with seeds ${RECORD_SEED}..${seed - 1} (${RUNS} runs each)`;
  const opts = variantCheckOptions(id);
  const base = opts.differentialBase as EngineSpec;
  const fixture: Fixture = {
    $schema: '../schema.json',
    format: FIXTURE_FORMAT,
    name: id,
    description:
      `${v.id} (${v.change}) caught: ${cx.property} ${cx.clause} at event ${cx.eventIndex}. ` + firstSentence(cx.message),
    status: 'caught-variant',
    engine: opts.engine,
    config: cx.config,
    expect: { property: cx.property, clause: cx.clause, eventIndex: cx.eventIndex },
    provenance: {
      seed: cx.seed,
      path: cx.path,
      fastCheckVersion: fastCheckVersion(),
      recordedAt: new Date().toISOString(),
      command: `${COMMAND} ${id}`,
    },
    notes:
      `Variant check (arbitraries/variant-check.ts): knobs ${knobText(opts.engine)}; property ${(opts.properties ?? []).join(', ')}; ` +
      `differential base ${base.arch}/${base.strategy} with knobs ${knobText(base)} (the base does not violate ${cx.property} on these ops). ` +
      `Found after ${result.runs} runs in ${result.seconds.toFixed(2)} s, shrunk to ${cx.ops.length} ops. Fixed by: ${v.fixedBy}.`,
    ops: cx.ops,
  };
  try {
    const written = writeFixture(VARIANT_FIXTURES_DIR, fixture);
    return `${id}: wrote ${path.relative(REPO_ROOT, written)} (${cx.ops.length} ops, ${cx.property} ${cx.clause} at event ${cx.eventIndex}; seed ${cx.seed}, ${result.runs} runs)`;
  } catch (err) {
    if (err instanceof FixtureError) return `${id}: not written: ${err.message.split('\n')[0]}`;
    throw err;
  }
}

function main(): void {
  const ids = process.argv.slice(2);
  const chosen = ids.length ? ids : VARIANTS.map((v) => v.id);
  let failed = 0;
  for (const id of chosen) {
    const line = record(id);
    if (/NOT CAUGHT|unknown variant|not written/.test(line)) failed++;
    console.log(line);
  }
  process.exitCode = failed ? 1 : 0;
}

if (require.main === module) main();
