/**
 * Long traces: JSON Lines are streamed, only a ring buffer of recent events is kept, and a violation
 * deep in a long trace is shown with the trace's own event indices. Also: telling JSON from JSON
 * Lines by content, and the ring buffer itself.
 */
import * as fs from 'node:fs';
import { generateTrace } from '../../src/trace-io/generate-trace';
import { detectFormat } from '../../src/trace-io/detect-format';
import { readTraceEvents } from '../../src/trace-io/read-trace';
import { RingBuffer } from '../../src/trace-io/ring-buffer';
import { EXAMPLE_EVENTS } from '../../src/trace/examples';
import type { TraceEvent } from '../../src/trace/events';
import { checkTraceJson, tempDir, traceText } from './helpers';

let t: ReturnType<typeof tempDir>;
beforeAll(() => (t = tempDir('lazymm-streaming-')));
afterAll(() => t.cleanup());

describe('RingBuffer', () => {
  it('keeps the last `capacity` events, oldest first, with their indices', () => {
    const r = new RingBuffer(3);
    const ev = EXAMPLE_EVENTS.mb;
    expect(r.toArray()).toEqual([]);
    for (let i = 1; i <= 5; i++) r.push(ev, i);
    expect(r.toArray().map((x) => x.index)).toEqual([3, 4, 5]);
    expect(() => new RingBuffer(0)).toThrow(/positive integer/);
  });
});

describe('a violation deep in a long JSON Lines trace', () => {
  it('is found at its index and shown with trace indices, around the violation only', async () => {
    const file = `${t.dir}/long.jsonl`;
    const { events } = await generateTrace(file, { events: 30_000, seed: 3 });
    // A bad mm_count arithmetic at the very end: refcount-balance C1.2 at index `events`.
    const bad: TraceEvent = { k: 'ref', cpu: 0, fn: 'mmdrop', mm: 'mm1', counter: 'mm_count', delta: -1, value: 99, token: 'grab', owner: 'holder:K9' };
    fs.appendFileSync(file, `${JSON.stringify(bad)}\n`);
    const { code, json } = await checkTraceJson('--property', 'refcount-balance', file);
    expect(json.files[0].events).toBe(events + 1);
    const v = json.files[0].verdicts[0];
    expect({ verdict: v.verdict, index: v.index, clause: v.clause }).toEqual({ verdict: 'violated', index: events, clause: 'C1.2 counter arithmetic' });
    expect(code).toBe(1);
    const lines = v.timeline!.split('\n');
    expect(lines.some((l) => /^> \[\d+(-\d+)?\] /.test(l) && l.includes(`[${events}]`))).toBe(true);
    expect(lines.some((l) => l.trim() === '...')).toBe(true); // events left out between init and the window
    expect(lines.filter((l) => /^[ >*] \[\d/.test(l)).length).toBeLessThan(100);
    expect(v.timeline).toContain(`VIOLATION refcount-balance C1.2 counter arithmetic at [${events}]`);
    // Labels are trace indices: the window's first shown event is far from the start.
    const indices = lines.flatMap((l) => /^[ >*] \[(\d+)/.exec(l)?.[1] ?? []).map(Number);
    expect(indices[0]).toBe(0);
    expect(indices[1]).toBeGreaterThan(events - 200);
  });
});

describe('detecting the container', () => {
  it('by extension, else by the first line', () => {
    const events = [EXAMPLE_EVENTS.init, EXAMPLE_EVENTS.mb];
    const put = (name: string, text: string) => t.put(name, text);
    expect(detectFormat(put('a.jsonl', traceText(events, 'json')))).toBe('jsonl'); // the name wins
    expect(detectFormat(put('b.ndjson', ''))).toBe('jsonl');
    expect(detectFormat(put('c.json', traceText(events, 'jsonl')))).toBe('jsonl'); // one event per line
    expect(detectFormat(put('d.trace', traceText(events, 'json')))).toBe('json');
    expect(detectFormat(put('e.txt', JSON.stringify({ format: 'lazymm-trace/1', events })))).toBe('json');
    expect(detectFormat(put('f.log', traceText(events, 'array')))).toBe('json');
  });

  it('reads the same events from every container', async () => {
    const events = [EXAMPLE_EVENTS.init, EXAMPLE_EVENTS.user_exit, EXAMPLE_EVENTS.mb];
    for (const [name, c] of [['g.json', 'json'], ['h.jsonl', 'jsonl'], ['i.json', 'array'], ['j.dat', 'jsonl']] as const) {
      expect(await readTraceEvents(t.put(name, traceText(events, c)))).toEqual(events);
    }
  });
});
