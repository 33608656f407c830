/**
 * Re-indexes ops fixtures whose recorded ops still replay to the same property and clause, only at a
 * different event index (the engine now emits more events on the way: for example the serialization
 * of an IRET to kernel mode). Nothing else changes: a fixture whose ops no longer replay, or whose
 * property or clause changed, is reported and left alone (it must be re-recorded deliberately).
 *
 *   npx ts-node --transpile-only test/variants/reindex-fixtures.ts REASON [FILE...]
 *
 * REASON is appended to the fixture's notes ("re-indexed N -> M: REASON"), so the change is on record.
 * Without FILE, every fixture under fixtures/ is considered.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkFixture } from '../../src/fixtures/check';
import { listFixtureFiles, loadAnyFixture } from '../../src/fixtures/fixture';
import { serializeFixture } from '../../src/fixtures/write';

const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures');

function main(): void {
  const [reason, ...given] = process.argv.slice(2);
  if (!reason) {
    console.error('usage: reindex-fixtures.ts REASON [FILE...]');
    process.exitCode = 2;
    return;
  }
  const files = given.length ? given : listFixtureFiles(FIXTURES).filter((f) => f.endsWith('.json') && !f.endsWith('schema.json'));
  for (const file of files) {
    const fx = loadAnyFixture(file);
    const r = checkFixture(fx);
    if (r.ok || fx.expect === 'pass' || !('ops' in fx) || fx.ops === undefined) continue;
    const f = r.found;
    if (f === undefined || f.property !== fx.expect.property || (fx.expect.clause !== undefined && f.clause !== fx.expect.clause)) {
      console.log(`${path.relative(FIXTURES, file)}: left alone: ${r.detail}`);
      continue;
    }
    const before = fx.expect.eventIndex;
    const note = `Re-indexed ${before} -> ${f.index} (same ops, property and clause): ${reason}.`;
    // A textual edit of the two values, so that the file keeps its layout (and the diff shows only them).
    let text = fs.readFileSync(file, 'utf8');
    const idx = new RegExp(`("eventIndex":\\s*)${before}\\b`);
    if (!idx.test(text)) throw new Error(`${file}: no "eventIndex": ${before}`);
    text = text.replace(idx, `$1${f.index}`);
    if (fx.notes !== undefined) {
      const old = JSON.stringify(fx.notes);
      if (!text.includes(old)) throw new Error(`${file}: notes not found verbatim`);
      text = text.replace(old, () => JSON.stringify(`${fx.notes} ${note}`));
      fs.writeFileSync(file, text);
    } else {
      fx.expect = { ...fx.expect, eventIndex: f.index };
      fx.notes = note;
      fs.writeFileSync(file, serializeFixture(fx));
    }
    console.log(`${path.relative(FIXTURES, file)}: ${before} -> ${f.index}`);
  }
}

if (require.main === module) main();
