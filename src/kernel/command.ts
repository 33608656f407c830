/**
 * `lazymm kernel run [SCENARIO...]` and `lazymm kernel repro FINDING`: the model against Debian's
 * 6.1 kernel under qemu (docs/cli.md, "kernel"). `npm run kernel:setup` must have run. `--from FILE`
 * analyses a saved guest output (.kernel-cache/runs/<time>/trace.txt) instead of booting.
 */
import * as fs from 'fs';
import { parseArgs, type FlagSpec } from '../cli/args';
import { UsageError, describeCliError } from '../cli/errors';
import { eprintln, println, type CliIo } from '../cli/io';
import { KERNEL_PACKAGE, KERNEL_VERSION } from './config';
import { expandGuestOutput, parseBootOutput, type BootOutput } from './ftrace';
import { GE_FINDING, GE_SCENARIOS, judgeGe, type GeReproResult } from './repro';
import { KUM_FINDING, KUM_SCENARIOS } from './repro-kthread-use-mm';
import { KUM_GLOBAL_SCENARIOS, judgeKumBoth } from './repro-kthread-use-mm-global';
import { kumReproText } from './repro-kthread-use-mm-text';
import { buildReport, disagreements, reportText } from './report';
import { runScenarios } from './run';
import { scenarioNames, SCENARIOS } from './scenarios';
import { KernelSetupError } from './sh';

export const KERNEL_FLAGS: readonly FlagSpec[] = [
  { name: 'json', kind: 'switch', help: 'print one JSON document instead of text' },
  { name: 'from', kind: 'value', arg: 'FILE', help: 'analyse a saved guest output (trace.txt or ttyS1.txt of an earlier run) instead of booting' },
];

export const KERNEL_USAGE = {
  synopsis: 'kernel run [SCENARIO...] | kernel repro FINDING',
  summary: "boot Debian's 6.1 kernel under qemu, trace the scenarios, check the model's conformance / reproduce a finding",
};

export const KTHREAD_FINDING = 'sync-core-after-kthread-use-mm';
const KTHREAD_WHY = `${KTHREAD_FINDING} cannot be driven from user space: it needs a kernel thread that calls kthread_use_mm() on an mm its CPU is lazily using, then switches to a thread of that mm (a test module, or a driver that uses kthread_use_mm() such as vhost's worker), and what it breaks (no core serialization before the return to user mode) is not visible to tracing (sync_core_before_usermode() is inlined, SYSRET vs IRET is decided inside do_syscall_64())`;

interface Boot {
  kernel: string;
  accel: string;
  bootSeconds: number | null;
  trace: string;
  output: BootOutput;
}

async function bootOrLoad(names: readonly string[], from: string | undefined): Promise<Boot> {
  if (from !== undefined) {
    if (!fs.existsSync(from)) throw new UsageError(`--from: no such file ${JSON.stringify(from)}`);
    let output: BootOutput;
    try {
      output = parseBootOutput(expandGuestOutput(fs.readFileSync(from, 'latin1')));
    } catch (err) {
      throw new UsageError(`--from ${from}: ${(err as Error).message}`);
    }
    if (output.scenarios.length === 0) throw new UsageError(`--from ${from}: no "#lazymm scenario" block (expected the ttyS1.txt of a lazymm kernel run)`);
    return { kernel: `${KERNEL_PACKAGE} ${KERNEL_VERSION}`, accel: 'saved', bootSeconds: null, trace: from, output };
  }
  const r = await runScenarios(names);
  return { kernel: r.kernel, accel: r.accel, bootSeconds: r.bootSeconds, trace: r.outputFile, output: r.output };
}

/** The command, with its errors printed as main() prints a synchronous command's (exit 2: one line). */
export async function kernelCommand(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await kernel(argv, io);
  } catch (err) {
    const { exitCode, text } = describeCliError(err instanceof KernelSetupError ? new UsageError(`kernel: ${err.message}`) : err);
    eprintln(io, text);
    return exitCode;
  }
}

async function kernel(argv: readonly string[], io: CliIo): Promise<number> {
  const a = parseArgs('kernel', argv, KERNEL_FLAGS, true);
  const [sub, ...rest] = a.positionals;
  const json = a.switches.has('json');
  const from = a.values.get('from');
  if (sub === 'run') {
    for (const n of rest) if (!scenarioNames().includes(n)) throw new UsageError(`kernel run: unknown scenario ${JSON.stringify(n)} (scenarios: ${scenarioNames().join(', ')})`);
    const b = await bootOrLoad(rest.length ? rest : scenarioNames(), from);
    const report = buildReport(b.output, b);
    println(io, ...(json ? [JSON.stringify(report, null, 2)] : reportText(report)));
    return disagreements(report) === 0 && b.output.scenarios.every((s) => s.rc === 0) ? 0 : 1;
  }
  if (sub === 'repro') {
    const known = [GE_FINDING, KUM_FINDING].join(', ');
    if (rest.length !== 1) throw new UsageError(`kernel repro: expected one finding (${known}), got ${rest.length}`);
    if (rest[0] === KTHREAD_FINDING) throw new UsageError(KTHREAD_WHY);
    if (rest[0] === KUM_FINDING) {
      const b = await bootOrLoad([...KUM_SCENARIOS, ...KUM_GLOBAL_SCENARIOS].map((s) => s.name), from);
      const result = judgeKumBoth(b.output.scenarios);
      const doc = { kernel: b.kernel, accel: b.accel, bootSeconds: b.bootSeconds, trace: b.trace, ...result };
      println(io, ...(json ? [JSON.stringify(doc, null, 2)] : kumReproText(doc)));
      return result.verdict === 'reproduced' ? 0 : 1;
    }
    if (rest[0] !== GE_FINDING) throw new UsageError(`kernel repro: unknown finding ${JSON.stringify(rest[0])} (reproducible on the real kernel: ${known})`);
    const b = await bootOrLoad(GE_SCENARIOS.map((s) => s.name), from);
    const result = judgeGe(b.output.scenarios);
    const doc = { kernel: b.kernel, accel: b.accel, bootSeconds: b.bootSeconds, trace: b.trace, ...result };
    println(io, ...(json ? [JSON.stringify(doc, null, 2)] : reproText(doc)));
    return result.verdict === 'reproduced' ? 0 : 1;
  }
  if (sub === undefined) throw new UsageError('kernel: expected run, repro or list');
  if (sub === 'list') {
    println(io, ...SCENARIOS.map((s) => `${s.name.padEnd(22)}${s.summary}`));
    return 0;
  }
  throw new UsageError(`kernel: unknown subcommand ${JSON.stringify(sub)} (expected run, repro or list)`);
}

function reproText(d: GeReproResult & { kernel: string; accel: string; bootSeconds: number | null; trace: string }): string[] {
  const hex = (n: number | null) => (n === null ? '-' : `0x${n.toString(16)}`);
  const uniq = (xs: string[]) => [...new Set(xs)].join(' / ');
  const out = [
    `${d.finding} on ${d.kernel} (${d.accel === 'saved' ? 'saved output' : `qemu ${d.accel.toUpperCase()}`}, 3 vCPUs${d.bootSeconds === null ? '' : `, boot ${d.bootSeconds.toFixed(1)} s`}): ${d.verdict.toUpperCase()}`,
    'P registered GLOBAL_EXPEDITED, its thread T1 runs on CPU 1; Q (unregistered) calls GLOBAL_EXPEDITED from CPU 2.',
    `trace: ${d.trace}`,
    '',
  ];
  const rows = [['scenario', 'role', 'T1 on CPU 1', 'CPU 1 rq state', "P's mm state", 'IPI mask', 'ipi_mb on CPU 1', 'result'],
    ...d.scenarios.map((s) => [s.name, s.role, `${s.calls.filter((c) => c.t1OnCpu).length}/${s.calls.length}`, uniq(s.calls.map((c) => hex(c.rqState))), hex(s.mmState), uniq(s.calls.map((c) => hex(c.mask))), `${s.calls.filter((c) => c.ipiHandled).length}/${s.calls.length}`, s.verdict === 'inconclusive' ? 'inconclusive (set-up not over)' : `${s.role === 'trigger' ? `IPI missed ${s.missed}` : `IPI sent ${s.sent}`}/${s.calls.length}${s.verdict === 'unexpected' ? ' UNEXPECTED' : ''}`])];
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  out.push(...rows.map((r) => `  ${r.map((c, i) => c.padEnd(w[i])).join('  ')}`.trimEnd()), '');
  for (const s of d.scenarios) {
    out.push(`${s.name} (${s.role}): ${s.what}`);
    for (const e of s.evidence) out.push(`  ${e}`);
    for (const c of s.calls) out.push(`  lines ${c.lines.join(',')}: GLOBAL_EXPEDITED, CPU 1 rq->membarrier_state ${hex(c.rqState)}, IPI mask ${hex(c.mask)}, ipi_mb on CPU 1: ${c.ipiHandled ? 'yes' : 'no'}`);
  }
  return out;
}
