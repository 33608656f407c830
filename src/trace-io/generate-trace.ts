/**
 * Writes one long random run of lazymm's x86 engine as a JSON Lines trace, for measuring
 * `lazymm check-trace` on large inputs (docs/engine-contract.md reports the figures).
 *
 * A trace is one history from one init event, so this is a single run: ops are chosen uniformly
 * among the enabled ones with a seeded PRNG, and events are streamed to the file as they are
 * produced (memory does not grow with the trace). The default engine is x86/refcount with the
 * proposed fixes of the open findings on, so the run stays clean.
 *
 *   npx ts-node --transpile-only src/trace-io/generate-trace.ts OUT.jsonl [EVENTS] [SEED]
 */
import * as fs from 'node:fs';
import { createEngine } from '../engine/registry';
import type { ModelConfig } from '../engine/contract';
import type { EngineSpec } from '../run/types';
import { fixKnobsFor } from '../cli/findings';

/** The engine of the measurement: mainline x86 with the proposed fixes of every open finding. */
export const CLEAN_X86: EngineSpec = { arch: 'x86', strategy: 'refcount', knobs: fixKnobsFor('x86') };

/** Options of {@link generateTrace}. */
export interface GenerateTraceOptions {
  /** Stop after at least this many events (the last op's events are all written). */
  events: number;
  seed?: number;
  engine?: EngineSpec;
  config?: ModelConfig;
}

/** mulberry32: a small, fast, seeded PRNG (uniform in [0, 1)). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes the trace to `out`; resolves to the number of events and ops written. */
export async function generateTrace(out: string, options: GenerateTraceOptions): Promise<{ events: number; ops: number }> {
  const engine = createEngine(options.engine ?? CLEAN_X86);
  const config = options.config ?? { cpus: 4, procs: 2, threads: 2, kthreads: 2 };
  const random = mulberry32(options.seed ?? 1);
  const stream = fs.createWriteStream(out);
  const { state, events: initEvents } = engine.init(config);
  let buffer = '';
  let events = 0;
  let ops = 0;
  const flush = async () => {
    if (!stream.write(buffer)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
    buffer = '';
  };
  for (const ev of initEvents) (buffer += `${JSON.stringify(ev)}\n`), events++;
  while (events < options.events) {
    const enabled = engine.enabled(state);
    if (enabled.length === 0) break; // nothing can happen any more: the history ends here
    const op = enabled[Math.floor(random() * enabled.length)];
    for (const ev of engine.apply(state, op)) (buffer += `${JSON.stringify(ev)}\n`), events++;
    ops++;
    if (buffer.length > 1 << 20) await flush();
  }
  await flush();
  await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { events, ops };
}

if (require.main === module) {
  const [out, count = '10000000', seed = '1'] = process.argv.slice(2);
  if (!out) {
    process.stderr.write('usage: generate-trace.ts OUT.jsonl [EVENTS] [SEED]\n');
    process.exit(2);
  }
  const started = performance.now();
  generateTrace(out, { events: Number(count), seed: Number(seed) }).then(({ events, ops }) => {
    const s = (performance.now() - started) / 1000;
    process.stdout.write(`${out}: ${events} events from ${ops} ops in ${s.toFixed(1)} s\n`);
  });
}
