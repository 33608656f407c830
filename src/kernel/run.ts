/**
 * One traced boot of the pinned kernel running the given scenarios: the init script and initramfs
 * are built, qemu boots, and the guest's output (.kernel-cache/runs/<time>/ttyS1.txt) is expanded
 * into trace.txt next to it (the file reports cite by line) and parsed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CACHE_ROOT, KERNEL_PACKAGE, KERNEL_VERSION, kernelPaths } from './config';
import { expandGuestOutput, parseBootOutput, type BootOutput } from './ftrace';
import { initScript } from './init-script';
import { baseInitramfs, bootInitramfs } from './initramfs';
import type { Offsets } from './offsets';
import { boot } from './qemu';
import { SCENARIOS } from './scenarios';
import { KernelSetupError } from './sh';

export interface KernelRun {
  kernel: string;
  accel: 'kvm' | 'tcg';
  dir: string;
  outputFile: string;
  bootSeconds: number;
  output: BootOutput;
}

/** The set-up's products, or a KernelSetupError telling to run it. */
export function loadSetup(): { offsets: Offsets; accel: 'kvm' | 'tcg' } {
  const p = kernelPaths();
  const accelFile = path.join(p.dir, 'accel.json');
  for (const f of [p.vmlinuz, p.offsets, baseInitramfs(p), accelFile]) {
    if (!fs.existsSync(f)) throw new KernelSetupError(`${path.relative(process.cwd(), f)} is missing: run npm run kernel:setup first`);
  }
  return { offsets: JSON.parse(fs.readFileSync(p.offsets, 'utf8')).offsets, accel: JSON.parse(fs.readFileSync(accelFile, 'utf8')).accel };
}

export function checkScenarioNames(names: readonly string[]): void {
  const known = SCENARIOS.map((s) => s.name);
  for (const n of names) if (!known.includes(n)) throw new KernelSetupError(`unknown scenario ${JSON.stringify(n)} (scenarios: ${known.join(', ')})`);
}

/** Runs kept in .kernel-cache/runs (the oldest go first). */
export const KEEP_RUNS = 10;

function pruneRuns(root: string, keep: number): void {
  const runs = fs.readdirSync(root).sort();
  for (const old of runs.slice(0, Math.max(0, runs.length - keep))) fs.rmSync(path.join(root, old), { recursive: true, force: true });
}

export async function runScenarios(names: readonly string[], timeoutSec = 900): Promise<KernelRun> {
  checkScenarioNames(names);
  const { offsets, accel } = loadSetup();
  const p = kernelPaths();
  const dir = path.join(CACHE_ROOT, 'runs', new Date().toISOString().replace(/[:.]/g, '-'));
  fs.mkdirSync(dir, { recursive: true });
  const initrd = bootInitramfs(p, initScript(offsets, names), dir);
  const b = await boot(accel, p.vmlinuz, initrd, dir, timeoutSec);
  for (const f of ['initrd.gz', 'init.cpio.gz', 'init-root']) fs.rmSync(path.join(dir, f), { recursive: true, force: true });
  pruneRuns(path.dirname(dir), KEEP_RUNS);
  const text = expandGuestOutput(b.output);
  const outputFile = path.join(dir, 'trace.txt');
  fs.writeFileSync(outputFile, text);
  // The guest console (kernel messages: a soft lockup, an RCU stall, a panic) is kept for a failed boot too.
  fs.writeFileSync(path.join(dir, 'console.txt'), b.console);
  const output = parseBootOutput(text);
  if (!output.done) {
    const why = b.timedOut ? `timed out after ${timeoutSec} s` : `the guest stopped early: ${b.console.trim().split('\n').slice(-1)[0] ?? ''}`;
    throw new KernelSetupError(`boot of ${KERNEL_PACKAGE} did not finish its scenarios (${why}); output in ${path.relative(process.cwd(), dir)} (trace.txt, console.txt)`);
  }
  return { kernel: `${KERNEL_PACKAGE} ${KERNEL_VERSION}`, accel, dir, outputFile, bootSeconds: b.seconds, output };
}
