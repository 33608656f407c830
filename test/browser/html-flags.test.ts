/** `--html DIR` on replay, check, check-trace and campaign: a report per counterexample and an index (in the browser project: it runs checks, too slow for npm test). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadFixture } from '../../src/fixtures/fixture';
import { writeCampaignReports } from '../../src/cli/campaign/html-reports';
import type { Row } from '../../src/cli/campaign/sections';
import { runOps } from '../../src/report/run-data';
import { lazymm, lazymmAsync, X86_FIXES } from '../cli/helpers';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures');
const NO_LAZY_MMGRAB = path.join(FIXTURES, 'variants', 'no-lazy-mmgrab.json');
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lazymm-html-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const html = (...parts: string[]) => fs.readFileSync(path.join(dir, ...parts), 'utf8');

describe('--html DIR', () => {
  it('replay: one page per fixture and an index linking them', () => {
    const r = lazymm('replay', '--quiet', '--html', dir, NO_LAZY_MMGRAB, path.join(FIXTURES, 'variants', 'nmi-reads-active-mm.json'));
    expect(r.code).toBe(0);
    expect(r.out).toContain(`wrote 2 HTML reports: ${path.join(dir, 'index.html')}`);
    expect(fs.readdirSync(dir).sort()).toEqual(['index.html', 'nmi-reads-active-mm.html', 'no-lazy-mmgrab.html']);
    expect(html('index.html')).toContain('<a href="no-lazy-mmgrab.html">no-lazy-mmgrab</a>');
    expect(html('no-lazy-mmgrab.html')).toContain('refcount-balance C1.1 lazy holder without reference at event 8');
  });

  it('check: the counterexample found, or an index that says there is none', () => {
    const fail = lazymm('check', '--variant', 'no-lazy-mmgrab', '--as-is', '--runs', '20', '--max-ops', '30', '--html', dir);
    expect(fail.code).toBe(1);
    const page = /report: (\S+\.html)/.exec(fail.out)![1];
    expect(fs.readFileSync(page, 'utf8')).toContain('lazymm check --variant no-lazy-mmgrab --as-is --runs 20 --max-ops 30 --html');
    const pass = lazymm('check', ...X86_FIXES, '--runs', '2', '--max-ops', '10', '--html', path.join(dir, 'pass'));
    expect(pass.code).toBe(0);
    expect(pass.out).toContain('no counterexample to report');
    expect(html('pass', 'index.html')).toContain('No counterexample');
  });

  it('check-trace: a page per trace, state mirrored from the trace', async () => {
    const f = loadFixture(NO_LAZY_MMGRAB);
    const trace = path.join(dir, 'run.json');
    fs.writeFileSync(trace, JSON.stringify({ format: 'lazymm-trace/1', events: runOps(f.engine, f.config, f.ops).events }));
    const r = await lazymmAsync('check-trace', trace, '--html', path.join(dir, 'out'));
    expect(r.code).toBe(1);
    expect(r.out).toContain(`HTML reports: ${path.join(dir, 'out', 'index.html')}`);
    const page = html('out', 'run-json.html');
    expect(page).toMatch(/IRQs off \(the trace(&#39;|&#x27;|')s IRQ events\)/); // lazymm's engines emit irqs events
    expect(page).toContain('"kind":"trace"');
  });

  it('campaign: a page per counterexample row and per finding fixture, linked from the index', () => {
    const f = loadFixture(NO_LAZY_MMGRAB);
    const cx = { config: f.config, ops: f.ops, property: 'refcount-balance', clause: 'C1.1 lazy holder without reference', eventIndex: 8, message: 'm', seed: 1, path: '0', engine: 'x86/refcount+no-lazy-mmgrab' };
    const row: Row = { id: 'no-lazy-mmgrab', kind: 'variant', spec: f.engine, cells: {}, counterexamples: [cx], runs: 1, opsExecuted: 4, seconds: 0, ok: true };
    const finding = { id: 'f', title: 't', engine: f.engine, property: 'p', clause: 'c', fixture: NO_LAZY_MMGRAB, status: 'open-upstream' as const, summary: 's' };
    const missing = { ...finding, id: 'gone', fixture: path.join(dir, 'nope.json') };
    const { index, skipped } = writeCampaignReports(dir, { engines: [], variants: [row], findings: [] }, [finding, missing], 'seed 1');
    expect(fs.readdirSync(dir).sort()).toEqual(['finding-f.html', 'index.html', 'variant-no-lazy-mmgrab-refcount-balance.html']);
    expect(fs.readFileSync(index, 'utf8')).toContain('<a href="variant-no-lazy-mmgrab-refcount-balance.html">');
    expect(skipped).toEqual([expect.stringMatching(/^finding gone: no report \(.*nope\.json/)]);
  });
});
