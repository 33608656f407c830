/**
 * The report without a browser (npm test): the data model (the state after every step comes from
 * the engine, the trace mirror agrees with it, violations, IPIs and a variant's divergence land on
 * the right steps), the page as text (self-contained, the data embedded safely) and the `report`
 * command's files and errors. test/browser/ loads the pages in Chromium (npm run test:browser).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { reportCommand } from '../cli/commands/report';
import { describeCliError } from '../cli/errors';
import type { CliIo } from '../cli/io';
import { loadFixture } from '../fixtures/fixture';
import { createEngine } from '../engine/registry';
import type { KernelState } from '../engine/state';
import type { InitEvent, TraceEvent } from '../trace/events';
import { buildOpsReport, buildTraceReport } from './build';
import { renderReportHtml } from './html';
import { renderIndexHtml } from './index-page';
import { EventPhraser } from './phrase';
import { runOps } from './run-data';
import { changedKeys, mmsOf, valuesOfState } from './snapshot';
import { ReportInputError, reportOfFile } from './sources';
import { hasIrqEvents, irqChange, TraceMirror } from './trace-mirror';
import type { ReportData } from './types';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures');
const fixture = (rel: string) => loadFixture(path.join(FIXTURES, rel));
const opsCase = (rel: string) => {
  const f = fixture(rel);
  return { title: f.name, description: f.description, status: f.status ?? '', spec: f.engine, config: f.config, ops: f.ops, property: f.expect === 'pass' ? undefined : f.expect.property, verdict: 'v', replayCommand: 'c' };
};

describe('ops reports: the state after every step is the engine state', () => {
  it('no-lazy-mmgrab: idle0 runs lazily on mm1 without the lazy reference the base takes', () => {
    const r = buildOpsReport(opsCase('variants/no-lazy-mmgrab.json'));
    expect(r.main.steps).toHaveLength(5); // boot + 4 ops
    expect(r.main.steps.map((s) => s.op)).toEqual([null, 'cpu0 preempt(next=idle0)', 'cpu0 step', 'cpu0 step', 'cpu0 step']);
    const last = r.main.steps[4].values;
    expect([last['cpu0.curr'], last['cpu0.current'], last['cpu0.active_mm'], last['cpu0.loaded_mm'], last['cpu0.is_lazy']]).toEqual(['idle0', 'idle0', 'mm1', 'mm1', 'true']);
    expect(last['mm1.mm_count']).toBe('1');
    expect(r.base!.steps[4].values['mm1.mm_count']).toBe('2'); // the base's mmgrab_lazy_tlb()
    expect(r.main.violation).toMatchObject({ property: 'refcount-balance', clause: 'C1.1 lazy holder without reference', event: 10, step: 4 });
    expect(r.initialStep).toBe(4);
    expect(r.base!.divergence).toBe(3);
    expect(r.main.steps[2].changed).toEqual(expect.arrayContaining(['cpu0.curr']));
    expect(r.irqSource).toBe('engine');
    expect(r.main.steps[1].values['cpu0.irqs']).toBe('off'); // __schedule() with the rq lock held
  });

  it('takes each step from the engine (valuesOfState after applying the op)', () => {
    const f = fixture('findings/global-expedited-stale-rq-state.json');
    const raw = runOps(f.engine, f.config, f.ops);
    const engine = createEngine(f.engine);
    const { state } = engine.init(f.config);
    f.ops.forEach((op, i) => {
      engine.apply(state, op);
      expect(raw.steps[i + 1].values).toEqual(valuesOfState(state as KernelState));
    });
  });

  it('draws IPIs from the sending step to the handling step, and marks the cited steps', () => {
    const r = buildOpsReport(opsCase('findings/global-expedited-stale-rq-state.json'));
    expect(r.main.ipis[0]).toEqual({ id: 1, func: 'ipi_sync_rq_state', from: 0, to: 1, sendStep: 7, handleStep: 8 });
    // The event the fixture records (the engine's barrier events move it when the model gains one:
    // the fixture's notes list each re-index); the report must point at that very event.
    const at = (fixture('findings/global-expedited-stale-rq-state.json').expect as { eventIndex: number }).eventIndex;
    expect(r.main.violation).toMatchObject({ property: 'membarrier-ordering', step: 26, event: at });
    expect(r.main.violation!.citedSteps.length).toBeGreaterThan(0);
    expect(r.base).toBeNull();
    expect(r.timeline).toContain('VIOLATION membarrier-ordering C4.1');
  });

  it('stops a run at an op its engine does not enable, instead of throwing', () => {
    const f = fixture('variants/no-lazy-mmgrab.json');
    const raw = runOps(f.engine, f.config, [...f.ops, { op: 'exit', cpu: 1 }]);
    expect(raw.steps).toHaveLength(5);
    expect(raw.stopped).toMatch(/does not enable op 4 \(cpu1 exit\)/);
  });
});

describe('the trace mirror (trace reports)', () => {
  // One fixture per engine family (every fixture agrees: checked when this was written, in about 1 s).
  const SAMPLE = ['counterfactual/arm64-shootdown-no-mm-cpumask.json', 'counterfactual/x86-hazard-mm-cpumask-scan-without-unlazy.json',
    'variants/hotplug-clears-cpumask-while-lazy.json', 'variants/text-poke-no-leave-mm.json'];
  it.each(SAMPLE)('agrees with the engine at every step of %s', (rel) => {
    const f = fixture(rel);
    const raw = runOps(f.engine, f.config, f.ops);
    const mirror = new TraceMirror(raw.events[0] as InitEvent, false);
    for (const s of raw.steps.slice(1)) {
      for (const e of s.events) mirror.observe(raw.events[e.i]);
      const strip = (v: Record<string, string>) => Object.fromEntries(Object.entries(v).filter(([k]) => !k.endsWith('.irqs')));
      expect(strip(mirror.values())).toEqual(strip(s.values));
    }
  });

  it('reads IRQ events when a trace has them, and derives the state from context_switch otherwise', () => {
    expect(irqChange({ k: 'irq', cpu: 0, fn: 'local_irq_disable' } as unknown as TraceEvent)).toBe(true);
    expect(irqChange({ k: 'irq', cpu: 0, fn: 'local_irq_enable' } as unknown as TraceEvent)).toBe(false);
    expect(irqChange({ k: 'irqs', cpu: 0, fn: 'x', off: true } as unknown as TraceEvent)).toBe(true);
    expect(irqChange({ k: 'mb', cpu: 0, fn: 'local_irq_disable' })).toBeUndefined();
    const f = fixture('variants/no-lazy-mmgrab.json');
    const { events: withEngineIrqs } = runOps(f.engine, f.config, f.ops);
    // The engine's own trace says when IRQs go off and on (`irqs` events): the mirror follows them.
    expect(buildTraceReport({ title: 't', description: 'd', status: 'trace', verdict: 'v', replayCommand: 'c', events: withEngineIrqs }).irqSource).toBe('trace');
    // A trace without them (another engine's) gets the derived rule.
    const events = withEngineIrqs.filter((e) => e.k !== 'irqs' && e.k !== 'irq');
    const r = buildTraceReport({ title: 't', description: 'd', status: 'trace', verdict: 'v', replayCommand: 'c', events });
    expect(r.irqSource).toBe('derived');
    expect(r.main.steps.map((s) => s.values['cpu0.irqs'])).toEqual(['on', 'on', 'off', 'off', 'off', 'off', 'off', 'off', 'on']);
    // IRQ events (`irqs`, docs/trace-format.md): the mirror follows them, not the derived rule.
    const withIrqs: TraceEvent[] = [events[0], { k: 'irqs', cpu: 1, fn: 'local_irq_disable', enabled: false }];
    expect(hasIrqEvents(withIrqs)).toBe(true);
    expect(hasIrqEvents(events)).toBe(false);
    const mirror = new TraceMirror(events[0] as InitEvent, true);
    mirror.observe(withIrqs[1]);
    expect(mirror.values()['cpu1.irqs']).toBe('off');
    mirror.observe(events[2]); // a context_switch begins on CPU0: no IRQ change without an IRQ event
    expect(mirror.values()['cpu0.irqs']).toBe('on');
    expect(new EventPhraser(withIrqs).phrase(withIrqs[1], 1).text).toMatch(/irq/i);
  });

  it('shows a window ending just after the violation of a long trace', () => {
    const f = fixture('findings/global-expedited-stale-rq-state.json');
    const { events } = runOps(f.engine, f.config, f.ops);
    const r = buildTraceReport({ title: 't', description: 'd', status: 'trace', verdict: 'v', replayCommand: 'c', events, maxSteps: 10, property: 'membarrier-ordering' });
    // The violation is the fixture's recorded event, the last of the trace, so the window of 10
    // steps before it starts 9 events earlier.
    const at = (f.expect as { eventIndex: number }).eventIndex;
    expect(events.length).toBe(at + 1);
    expect(r.window).toEqual({ first: at - 9, total: events.length });
    expect(r.main.steps).toHaveLength(11);
    expect(r.main.violation).toMatchObject({ event: at, step: 10 });
    // The first step shown starts from the state mirrored over the events before the window.
    const full = buildTraceReport({ title: 't', description: 'd', status: 'trace', verdict: 'v', replayCommand: 'c', events });
    expect(r.main.steps[0].values).toEqual(full.main.steps[at - 10].values);
  });
});

describe('state values', () => {
  it('reports changed keys, and static mms only when they matter', () => {
    expect(changedKeys(null, { a: '1' })).toEqual([]);
    expect(changedKeys({ a: '1', b: '2' }, { a: '1', b: '3', c: '0' })).toEqual(['b', 'c']);
    const base = { 'init_mm.mm_count': '2', 'init_mm.life': 'static', 'efi_mm.mm_count': '1', 'efi_mm.life': 'static', 'cpu0.loaded_mm': 'init_mm' };
    expect(mmsOf([base, { ...base, 'mm1.mm_count': '1' }])).toEqual(['init_mm', 'mm1']);
    expect(mmsOf([base, { ...base, 'cpu0.loaded_mm': 'efi_mm' }])).toEqual(['init_mm', 'efi_mm']);
  });
});

const FIXTURE = path.join(FIXTURES, 'variants', 'no-lazy-mmgrab.json');
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lazymm-report-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** `lazymm report ...` as main() runs it (a thrown usage error is one line on stderr and its exit status), without loading every command. */
function main(argv: string[], io: CliIo & { stderr: string }): number {
  try {
    return reportCommand(argv.slice(1), io);
  } catch (err) {
    const { exitCode, text } = describeCliError(err);
    io.err(`${text}\n`);
    return exitCode;
  }
}

function capture(): CliIo & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}

const embedded = (html: string): ReportData => JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)![1]) as ReportData;

describe('the report page', () => {
  const f = loadFixture(FIXTURE);
  const data = buildOpsReport({ title: f.name, description: 'a </script><script>alert(1)</script> & <b>', status: 'caught-variant', spec: f.engine, config: f.config, ops: f.ops, verdict: 'v', replayCommand: 'lazymm replay x.json' });
  const html = renderReportHtml(data);

  it('loads nothing: no external reference, and a policy that forbids fetching', () => {
    expect(html).toContain(`http-equiv="Content-Security-Policy" content="default-src 'none';`);
    expect(html).not.toMatch(/\s(src|href)="(?!#)/);
    expect(html).not.toMatch(/url\((?!#)/);
    expect(html).not.toMatch(/@import/);
  });

  it('embeds the data as JSON that survives markup in it', () => {
    expect(html).not.toContain('</script><script>alert(1)');
    expect(embedded(html)).toEqual(data);
    expect(html).toContain('a &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;');
  });

  it('draws both runs, one row per step, with the violation and the divergence marked', () => {
    expect(html.match(/<g class="row" data-step="/g)).toHaveLength(2 * 5);
    expect(html).toContain('id="lanes-main"');
    expect(html).toContain('id="lanes-base"');
    expect(html).toMatch(/class="box viol"/);
    expect(html).toMatch(/class="diverge"/);
    expect(html).toContain('lazymm replay x.json');
    expect(html).toContain('@media print');
  });

  it('links every report from the index page', () => {
    const index = renderIndexHtml('t', 'i', [{ href: 'a b.html', name: 'a', kind: 'variant', verdict: 'x at event 1', size: '3 ops' }]);
    expect(index).toContain('<a href="a%20b.html">a</a>');
    expect(renderIndexHtml('t', 'i', [])).toContain('No counterexample');
  });
});

describe('lazymm report', () => {
  it('writes the page of a fixture', () => {
    const out = path.join(dir, 'r.html');
    const io = capture();
    expect(main(['report', FIXTURE, '-o', out], io)).toBe(0);
    expect(io.stdout).toMatch(/^wrote .*r\.html: 4 ops, refcount-balance C1\.1 lazy holder without reference at step 4, base x86\/refcount/);
    expect(embedded(fs.readFileSync(out, 'utf8')).main.violation?.step).toBe(4);
  });

  it('writes the page of a check --json result', () => {
    const f = loadFixture(FIXTURE);
    const doc = { engine: 'x86/refcount+no-lazy-mmgrab', arch: 'x86', strategy: 'refcount', variant: 'no-lazy-mmgrab', knobs: f.engine.knobs, config: null, seed: 7, runs: 10, maxOps: 50, result: 'fail',
      counterexample: { property: 'refcount-balance', clause: 'C1.1 lazy holder without reference', eventIndex: 8, message: 'm', ops: f.ops, opCount: 4, config: f.config, seed: 7, path: '0' } };
    const input = path.join(dir, 'result.json');
    fs.writeFileSync(input, JSON.stringify(doc));
    const d = reportOfFile(input);
    expect(d.main.violation).toMatchObject({ property: 'refcount-balance', step: 4 });
    expect(d.replayCommand).toMatch(/^lazymm check --arch x86 --strategy refcount --variant no-lazy-mmgrab .*--seed 7 --runs 10 --max-ops 50/);
  });

  it.each([
    ['not JSON', '{', /bad\.json: invalid JSON at line 1/],
    ['another document', '{"a":1}', /bad\.json: \/: expected a fixture \(format lazymm-fixture\/1\) or a 'lazymm check --json' result/],
    ['a passing check', '{"engine":"x86/refcount","result":"pass"}', /bad\.json: \/counterexample: expected a counterexample \(this check result is 'pass'/],
    ['a bad op', '{"arch":"x86","strategy":"refcount","result":"fail","counterexample":{"config":{"cpus":2,"procs":1,"threads":1,"kthreads":0},"ops":[{"cpu":0}]}}', /\/counterexample\/ops\/0: expected an op/],
    ['a bad fixture', '{"format":"lazymm-fixture/1"}', /bad\.json/],
  ])('rejects %s with one line, exit 2, nothing written', (_what, text, message) => {
    const input = path.join(dir, 'bad.json');
    fs.writeFileSync(input, text);
    expect(() => reportOfFile(input)).toThrow(ReportInputError);
    const io = capture();
    const out = path.join(dir, 'out.html');
    expect(main(['report', input, '-o', out], io)).toBe(2);
    expect(io.stderr).toMatch(message);
    expect(io.stderr.trim().split('\n')).toHaveLength(1);
    expect(fs.existsSync(out)).toBe(false);
  });
});
