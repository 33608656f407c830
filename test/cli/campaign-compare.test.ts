import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findingRow } from '../../src/cli/campaign/findings-section';
import { listEngines, listVariants } from '../../src/engine/registry';
import { COST_COLUMNS } from '../../src/run/costs';
import { lazymm } from './helpers';

describe('lazymm campaign (a short one)', () => {
  const text = lazymm('campaign', '--runs', '10', '--search-runs', '10');
  const json = lazymm('campaign', '--runs', '10', '--search-runs', '10', '--json');

  it('prints one matrix row per engine and per variant, the findings section and the timings', () => {
    expect(text.err).toBe('');
    for (const e of listEngines()) expect(text.out).toMatch(new RegExp(`^${e.id} +${e.label} +(ok|FAIL@\\d+|-|ERROR) `, 'm'));
    for (const v of listVariants()) expect(text.out).toMatch(new RegExp(`^${v.id} +${v.base} `, 'm'));
    expect(text.out).toContain('KNOWN OPEN UPSTREAM (expected to fail; mainline without the fix)');
    expect(text.out).toMatch(/engines [\d.]+ s, variants [\d.]+ s, findings [\d.]+ s; total [\d.]+ s/);
  });

  it('exits 0 iff every mainline/proposed engine passed and every variant was caught', () => {
    const doc = JSON.parse(json.out);
    const mustPass = doc.engines.filter((e: { kind: string }) => e.kind !== 'counterfactual');
    const expected = mustPass.every((e: { ok: boolean }) => e.ok) && doc.variants.every((v: { ok: boolean }) => v.ok);
    expect(json.code).toBe(expected ? 0 : 1);
    expect(text.code).toBe(json.code);
    expect(doc.result).toBe(expected ? 'pass' : 'fail');
    // Counterfactual engines never fail the campaign.
    const counterfactual = listEngines().filter((e) => e.label === 'counterfactual').map((e) => e.id);
    for (const id of doc.failedEngines) expect(counterfactual).not.toContain(id);
    expect(text.out).toMatch(expected ? /campaign: PASS/ : /campaign: FAIL \(/);
  });

  it('--json has the engines, variants and findings with their cells', () => {
    const doc = JSON.parse(json.out);
    expect(doc.engines.map((e: { id: string }) => e.id)).toEqual(listEngines().map((e) => e.id));
    expect(doc.variants.map((v: { id: string }) => v.id)).toEqual(listVariants().map((v) => v.id));
    expect(doc.seconds).toEqual({ engines: expect.any(Number), variants: expect.any(Number), findings: expect.any(Number), total: expect.any(Number) });
    for (const row of [...doc.engines, ...doc.variants]) {
      for (const cell of Object.values(row.cells)) expect(cell).toMatch(/^(ok|FAIL@\d+|caught|-|\.|ERROR)$/);
    }
    expect(doc.variants.find((v: { id: string }) => v.id === 'no-lazy-mmgrab').cells['refcount-balance']).toBe('caught');
  });
});

describe('lazymm compare', () => {
  const strip = (doc: { engines: { seconds?: number }[] }) => {
    for (const e of doc.engines) delete e.seconds;
    return doc;
  };

  it('prints verdicts and costs of all 9 engines on the same workloads, deterministically', () => {
    const a = lazymm('compare', '--runs', '8', '--seed', '7', '--json');
    expect(a.code).toBe(0);
    const doc = JSON.parse(a.out);
    expect(doc.engines.map((e: { engine: string }) => e.engine)).toEqual(listEngines().map((e) => e.id));
    expect(doc.columns.map((c: { key: string }) => c.key)).toEqual(COST_COLUMNS.map((c) => c.key));
    for (const e of doc.engines) {
      expect(Object.keys(e.normalised)).toEqual(COST_COLUMNS.map((c) => c.key));
      expect(e.costs.contextSwitches).toBeGreaterThan(0);
    }
    expect(strip(JSON.parse(lazymm('compare', '--runs', '8', '--seed', '7', '--json').out))).toEqual(strip(doc));
  });

  it('prints a table', () => {
    const r = lazymm('compare', '--runs', '5');
    expect(r.code).toBe(0);
    for (const e of listEngines()) expect(r.out).toMatch(new RegExp(`^${e.id} +${e.label} +(ok|[a-z-]+@\\d+) +\\d+ `, 'm'));
  });
});

describe('campaign section 3: a finding with its fixture', () => {
  it('reports reproduced by the search and by the fixture, and the fixture with the fix knobs', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lazymm-finding-'));
    try {
      expect(lazymm('check', '--variant', 'no-lazy-mmgrab', '--as-is', '--runs', '20', '--record', '--fixtures-dir', dir).code).toBe(1);
      const [file] = fs.readdirSync(dir);
      const fixture = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
      const finding = {
        id: 'test-finding',
        title: 't',
        engine: fixture.engine,
        property: 'refcount-balance',
        clause: fixture.expect.clause,
        fixture: path.join(dir, file),
        status: 'open-upstream' as const,
        summary: 's',
        fixKnobs: { pti: true },
      };
      const row = findingRow(finding, { runs: 20, searchRuns: 20, maxOps: 120 });
      expect(row).toEqual(expect.objectContaining({ searchReproduced: true, fixture: 'reproduced', withFix: 'still fails', reproduced: true }));
      expect(findingRow({ ...finding, fixture: path.join(dir, 'absent.json') }, { runs: 20, searchRuns: 20, maxOps: 120 }).fixture).toBe('missing');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
