/**
 * Report pages in a real browser (Debian's Chromium through playwright-core): for several fixtures,
 * load the page, step through it with the keyboard, and check the state panel against the engine's
 * own state at each step (computed here from KernelState, not through the report's code); the
 * violation, IPI and divergence marks; layout at 1280 px and print; no console error, no request
 * but the page itself. Screenshots go to $LAZYMM_SCREENSHOTS (default: a lazymm-screenshots
 * directory in the system temporary directory).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/io';
import { loadFixture } from '../../src/fixtures/fixture';
import { createEngine } from '../../src/engine/registry';
import type { KernelState } from '../../src/engine/state';
import { runOps } from '../../src/report/run-data';
import type { ReportData } from '../../src/report/types';
import { openPage, startChromium, type Browser, type WatchedPage } from './chromium';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures');
const SCREENSHOTS = process.env.LAZYMM_SCREENSHOTS ?? path.join(os.tmpdir(), 'lazymm-screenshots');
const CASES = [
  'variants/no-lazy-mmgrab.json', // a variant: base run, divergence
  'findings/global-expedited-stale-rq-state.json', // 3 CPUs, an IPI, a long run
  'variants/hotplug-clears-cpumask-while-lazy.json', // a CPU goes offline
  'counterfactual/arm64-shootdown-no-mm-cpumask.json', // arm64, shootdown
  'variants/text-poke-no-leave-mm.json', // a temporary mm
];

let browser: Browser;
let dir: string;
const silent: CliIo = { out: () => undefined, err: () => undefined };

beforeAll(async () => {
  browser = await startChromium();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lazymm-browser-'));
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes the report of a fixture with `lazymm report` and opens it. */
async function openReport(rel: string): Promise<WatchedPage> {
  const out = path.join(dir, `${path.basename(rel, '.json')}.html`);
  expect(main(['report', path.join(FIXTURES, rel), '-o', out], silent)).toBe(0);
  const w = await openPage(browser, out);
  await w.page.waitForSelector('#cpu-table');
  return w;
}

const selected = async (w: WatchedPage): Promise<number> => Number(await w.page.getAttribute('body', 'data-selected'));
/** The state panel as shown: data-k key -> text, and the keys highlighted as changed. */
const panel = (w: WatchedPage) =>
  w.page.$$eval('#state [data-k]', (cells) => ({
    values: Object.fromEntries(cells.map((c) => [c.getAttribute('data-k')!, c.textContent ?? ''])),
    changed: cells.filter((c) => c.classList.contains('chg')).map((c) => c.getAttribute('data-k')!).sort(),
  }));

/** What the panel must show for an engine state, written out from KernelState's own fields. */
function expectedFromEngine(s: KernelState, shownMms: readonly string[]): Record<string, string> {
  const nul = (v: string | null | undefined) => v ?? 'NULL';
  const e: Record<string, string> = {};
  for (const c of s.cpus) {
    e[`cpu${c.id}.curr`] = c.curr;
    e[`cpu${c.id}.current`] = c.current;
    e[`cpu${c.id}.active_mm`] = nul(s.tasks[c.curr].activeMm);
    e[`cpu${c.id}.mm`] = nul(s.tasks[c.curr].mm);
    e[`cpu${c.id}.loaded_mm`] = c.loadedMm;
    e[`cpu${c.id}.is_lazy`] = String(c.isLazy);
    e[`cpu${c.id}.membarrier_state`] = `0x${c.rqMembarrierState.toString(16)}`;
    e[`cpu${c.id}.online`] = String(c.online);
    e[`cpu${c.id}.mode`] = c.mode;
    e[`cpu${c.id}.irqs`] = c.irqsOff ? 'off' : 'on';
  }
  for (const id of shownMms) {
    const m = s.mms[id];
    if (!m) continue;
    e[`${id}.mm_users`] = String(m.users);
    e[`${id}.mm_count`] = String(m.count);
    e[`${id}.cpumask`] = `{${m.cpumask.flatMap((on, cpu) => (on ? [cpu] : [])).join(',')}}`;
    e[`${id}.tlb_gen`] = String(m.tlbGen);
    e[`${id}.membarrier_state`] = `0x${m.membarrierState.toString(16)}`;
  }
  return e;
}

/** A computed style property of the first element matching `selector` (evaluated in the page: no DOM types here). */
const css = (w: WatchedPage, selector: string, prop: string): Promise<string> =>
  w.page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)}))[${JSON.stringify(prop)}]`) as Promise<string>;

const reportData = (w: WatchedPage): Promise<ReportData> => w.page.$eval('#report-data', (el) => JSON.parse(el.textContent ?? '') as ReportData);

describe.each(CASES)('the report of %s', (rel) => {
  let w: WatchedPage;
  let data: ReportData;
  beforeAll(async () => {
    w = await openReport(rel);
    data = await reportData(w);
  });
  afterAll(async () => w?.page.close());

  it('opens at the violation, marked in the swimlanes', async () => {
    const f = loadFixture(path.join(FIXTURES, rel));
    const v = data.main.violation!;
    expect(f.expect).not.toBe('pass');
    expect(v.event).toBe((f.expect as { eventIndex: number }).eventIndex);
    expect(await selected(w)).toBe(v.step);
    expect(await w.page.locator(`#lanes-main .row[data-step="${v.step}"] .box.viol`).count()).toBe(1);
    expect(await w.page.textContent('#step-info')).toContain(`step ${v.step} of ${data.main.steps.length - 1}`);
    expect(await w.page.textContent('#state')).toContain(`${v.property} ${v.clause} fires here`);
  });

  it("steps through with the keyboard, the panel showing the engine's state after every step", async () => {
    const f = loadFixture(path.join(FIXTURES, rel));
    const engine = createEngine(f.engine);
    const { state } = engine.init(f.config);
    const s = state as KernelState;
    await w.page.keyboard.press('Home');
    expect(await selected(w)).toBe(0);
    let before = expectedFromEngine(s, data.layout.mms);
    expect((await panel(w)).values).toMatchObject(before);
    for (const [i, op] of f.ops.entries()) {
      engine.apply(state, op);
      await w.page.keyboard.press(i % 2 === 0 ? 'ArrowDown' : 'j');
      expect(await selected(w)).toBe(i + 1);
      const shown = await panel(w);
      const now = expectedFromEngine(s, data.layout.mms);
      expect(shown.values).toMatchObject(now);
      // Every value that differs from the step before is highlighted (more may be: fields the test does not rebuild).
      const differs = Object.keys(now).filter((k) => before[k] !== now[k] && k in shown.values);
      expect(shown.changed).toEqual(expect.arrayContaining(differs));
      before = now;
    }
    // Every mm the engine allocated has a column.
    expect(data.layout.mms).toEqual(expect.arrayContaining(s.mmOrder.filter((m) => !s.mms[m].isStatic)));
    await w.page.keyboard.press('ArrowDown'); // past the end: stays
    expect(await selected(w)).toBe(f.ops.length);
    await w.page.keyboard.press('ArrowUp');
    await w.page.keyboard.press('k');
    expect(await selected(w)).toBe(f.ops.length - 2);
    await w.page.keyboard.press('v');
    expect(await selected(w)).toBe(data.main.violation!.step);
    await w.page.locator('#lanes-main .row[data-step="1"] .box').click();
    expect(await selected(w)).toBe(1);
    expect(w.page.url()).toMatch(/#step-1$/);
  });

  it('draws one arrow per IPI, and the base run with its divergence for a variant', async () => {
    const f = loadFixture(path.join(FIXTURES, rel));
    const sends = runOps(f.engine, f.config, f.ops).events.filter((e) => e.k === 'ipi_send').length;
    expect(await w.page.locator('#lanes-main path.ipi').count()).toBe(sends);
    if (f.engine.variant === undefined) {
      expect(await w.page.locator('#lanes-base').count()).toBe(0);
      return;
    }
    expect(await w.page.locator('#lanes-base .row').count()).toBe(data.base!.steps.length);
    if (data.base!.divergence !== null) {
      await w.page.keyboard.press('d');
      expect(await selected(w)).toBe(data.base!.divergence);
      expect(await w.page.locator('#lanes-main line.diverge').count()).toBe(1);
      expect(await w.page.textContent('#state')).toContain('first divergence from the base');
    }
  });

  it('is readable at 1280 px and printable; no console error, no request but the page', async () => {
    await w.page.keyboard.press('v');
    const name = path.basename(rel, '.json');
    const shot = path.join(SCREENSHOTS, `${name}.png`);
    await w.page.screenshot({ path: shot });
    expect(fs.statSync(shot).size).toBeGreaterThan(20_000);
    // The page itself never scrolls sideways at 1280 px (wide lanes scroll inside their box).
    expect(await w.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
    expect(parseFloat(await css(w, '#lanes-main text.fn', 'fontSize'))).toBeGreaterThanOrEqual(11);
    await w.page.emulateMedia({ media: 'print' });
    expect(await css(w, '.nav', 'display')).toBe('none');
    expect(await css(w, '.panel', 'position')).toBe('static');
    const pdf = await w.page.pdf({ format: 'A4', landscape: true });
    expect(pdf.length).toBeGreaterThan(10_000);
    await w.page.screenshot({ path: path.join(SCREENSHOTS, `${name}-print.png`), fullPage: true });
    await w.page.emulateMedia({ media: 'screen' });
    expect(w.errors).toEqual([]);
    expect(new Set(w.requests.map((u) => u.replace(/#.*/, '')))).toEqual(new Set([w.page.url().replace(/#.*/, '')]));
  });
});

describe('index pages and trace reports', () => {
  it('links every fixture report from the replay index, and the links open', async () => {
    const out = path.join(dir, 'replayed');
    expect(main(['replay', '--quiet', '--html', out, path.join(FIXTURES, 'variants')], silent)).toBe(0);
    const w = await openPage(browser, path.join(out, 'index.html'));
    const links = await w.page.$$eval('#index a', (as) => as.map((a) => a.getAttribute('href')));
    expect(links).toHaveLength(fs.readdirSync(path.join(FIXTURES, 'variants')).length);
    await w.page.click('#index a >> nth=0');
    await w.page.waitForSelector('#cpu-table');
    expect(w.errors).toEqual([]);
    await w.page.close();
  });

  it('shows a trace report (state mirrored from the trace, IRQ state derived)', async () => {
    const f = loadFixture(path.join(FIXTURES, CASES[1]));
    const trace = path.join(dir, 'stale.jsonl');
    // Without its `irqs`/`irq` events (as another engine's trace may be), so the IRQ state is derived.
    const events = runOps(f.engine, f.config, f.ops).events.filter((e) => e.k !== 'irqs' && e.k !== 'irq');
    fs.writeFileSync(trace, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    expect(await main(['check-trace', trace, '--html', path.join(dir, 'traces')], silent)).toBe(1);
    const w = await openPage(browser, path.join(dir, 'traces', 'stale-jsonl.html'));
    await w.page.waitForSelector('#cpu-table');
    const data = await reportData(w);
    expect(data.kind).toBe('trace');
    expect(await selected(w)).toBe(data.main.violation!.step);
    expect((await panel(w)).values['cpu1.curr']).toBe(data.main.steps[data.main.violation!.step].values['cpu1.curr']);
    expect(await w.page.textContent('.legend')).toContain('derived: inside context_switch');
    await w.page.screenshot({ path: path.join(SCREENSHOTS, 'trace-report.png') });
    expect(w.errors).toEqual([]);
    await w.page.close();
  });
});
