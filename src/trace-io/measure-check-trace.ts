/**
 * Measures `lazymm check-trace` on one trace file: events per second and peak memory (the largest
 * process.memoryUsage().rss sampled every 100 ms, and at the end). docs/engine-contract.md reports
 * the figures for a 10-million-event trace written by ./generate-trace.ts.
 *
 *   npx ts-node --transpile-only src/trace-io/measure-check-trace.ts TRACE.jsonl
 */
import { allProperties } from '../../properties';
import { checkTraceFiles, exitStatus } from './check-trace-command';

/** Runs the check and returns what it measured. */
export async function measureCheckTrace(file: string): Promise<{ events: number; seconds: number; eventsPerSecond: number; peakRssMb: number; exitCode: number; verdicts: string[] }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const started = performance.now();
  try {
    const reports = await checkTraceFiles([file], allProperties);
    const seconds = (performance.now() - started) / 1000;
    peak = Math.max(peak, process.memoryUsage().rss);
    const r = reports[0];
    return {
      events: r.events,
      seconds,
      eventsPerSecond: Math.round(r.events / seconds),
      peakRssMb: Math.round(peak / 2 ** 20),
      exitCode: exitStatus(reports),
      verdicts: r.problems.length ? r.problems.map((p) => p.message) : r.verdicts.map((v) => `${v.property}: ${v.verdict}${v.violation ? ` (${v.violation.clause} at ${v.violation.index})` : ''}`),
    };
  } finally {
    clearInterval(timer);
  }
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: measure-check-trace.ts TRACE.jsonl\n');
    process.exit(2);
  }
  measureCheckTrace(file).then((m) => process.stdout.write(`${JSON.stringify(m, null, 2)}\n`));
}
