/**
 * The text of `lazymm kernel repro single-user-shortcuts-miss-kthread-use-mm`: one row per scenario
 * (windows, calls, overlapping calls, mm_users, IPIs to the worker's CPU), then per scenario the
 * first overlapping calls with their trace lines; then the same for the GLOBAL_EXPEDITED form when
 * it was judged.
 */
import type { KumCall, KumReproResult } from './repro-kthread-use-mm';
import type { KgCall, KgReproResult } from './repro-kthread-use-mm-global';

export interface KumReproDoc extends KumReproResult {
  /** The GLOBAL_EXPEDITED form (./repro-kthread-use-mm-global.ts). */
  global?: KgReproResult;
  kernel: string;
  accel: string;
  bootSeconds: number | null;
  trace: string;
}

/** Overlapping calls listed per scenario (the counts cover all of them). */
const SHOWN = 3;

const uniq = (xs: (string | number)[]) => [...new Set(xs)].join(' / ') || '-';
const hex = (n: number | null) => (n === null ? 'none' : `0x${n.toString(16)}`);

function callLine(c: KumCall): string {
  const w = c.window;
  return `lines ${c.lines.join(',')}: PRIVATE_EXPEDITED on CPU ${c.cpu}, mm_users ${c.users}, IPI mask ${hex(c.mask)}, ipi_mb on CPU ${w.cpu}: ${c.ipiOnWorkerCpu ? 'yes' : 'no'}; inside ${w.comm} (pid ${w.pid}) on CPU ${w.cpu}, kthread_use_mm() lines ${w.lines[0]}-${w.lines[1]}, kthread_unuse_mm() line ${w.lines[2]}`;
}

function globalCallLine(c: KgCall): string {
  const w = c.window;
  const g = c.registration;
  return `lines ${c.lines.join(',')}: GLOBAL_EXPEDITED on CPU ${c.cpu}, CPU ${w.cpu} rq->membarrier_state ${hex(c.rqState)}, IPI mask ${hex(c.mask)}, ipi_mb on CPU ${w.cpu}: ${c.ipiOnWorkerCpu ? 'yes' : 'no'}; after pid ${g.pid}'s registration (lines ${g.lines.join('-')}, mm_users ${g.users ?? '?'}, ipi_sync_rq_state on CPU ${g.syncedCpus.join(', ') || 'none'}); inside ${w.comm} (pid ${w.pid}) on CPU ${w.cpu}, kthread_use_mm() lines ${w.lines[0]}-${w.lines[1]}, kthread_unuse_mm() line ${w.lines[2]}`;
}

const table = (rows: string[][]): string[] => {
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => `  ${r.map((c, i) => c.padEnd(w[i])).join('  ')}`.trimEnd());
};

function globalText(g: KgReproResult): string[] {
  const out = ['', `GLOBAL_EXPEDITED form: ${g.verdict.toUpperCase()}`,
    "Each round a fresh P registers GLOBAL_EXPEDITED on CPU 1 while the worker copies its AIO read inside kthread_use_mm(P's mm); Q (another mm) calls GLOBAL_EXPEDITED.",
    "Judged: the overlapping calls with no switch on the worker's CPU since the registration's runqueue decision (after a switch the state is not the registration's doing).", ''];
  out.push(...table([['scenario', 'role', 'registrations', 'mm_users at registration', 'in a window', 'sync IPI to the worker', 'Q calls', 'overlapping (judged)', 'judged without GLOBAL_EXPEDITED', 'result'],
    ...g.scenarios.map((s) => [s.name, s.role, String(s.registrations.length), uniq(s.registrations.map((r) => r.users ?? '?')), String(s.windows), `${s.regSyncedWorker}/${s.regAtScan}`, String(s.calls), `${s.overlapping.length} (${s.judged})`, String(s.stale),
      s.verdict === 'inconclusive' ? 'inconclusive (no call or registration met the worker)' : `${s.role === 'trigger' ? `no IPI ${s.missed}/${s.stale}` : `IPI to the worker's CPU: calls ${s.sent}/${s.judged}, registrations ${s.regSyncedWorker}/${s.regAtScan}`}${s.verdict === 'unexpected' ? ' UNEXPECTED' : ''}`])]), '');
  for (const s of g.scenarios) {
    out.push(`${s.name} (${s.role}): ${s.what}`);
    for (const c of s.overlapping.slice(0, SHOWN)) out.push(`  ${globalCallLine(c)}${c.sinceRegistration ? '' : ' (not judged: CPU ' + c.window.cpu + ' switched since the registration)'}`);
    if (s.overlapping.length > SHOWN) out.push(`  ... ${s.overlapping.length - SHOWN} more overlapping calls`);
  }
  return out;
}

export function kumReproText(d: KumReproDoc): string[] {
  const out = [
    `${d.finding} on ${d.kernel} (${d.accel === 'saved' ? 'saved output' : `qemu ${d.accel.toUpperCase()}`}, 3 vCPUs${d.bootSeconds === null ? '' : `, boot ${d.bootSeconds.toFixed(1)} s`}): ${d.verdict.toUpperCase()}`,
    'P registered PRIVATE_EXPEDITED and calls it on CPU 1 while a USB gadget worker copies an AIO read into its memory inside kthread_use_mm(P\'s mm).',
    `trace: ${d.trace}`,
    '',
  ];
  const rows = [['scenario', 'role', 'worker windows', 'mm_users in window', 'calls', 'overlapping', 'mm_users at call', 'result'],
    ...d.scenarios.map((s) => [s.name, s.role, String(s.windows.length), uniq(s.windows.map((w) => w.users)), String(s.calls), String(s.overlapping.length), uniq(s.overlapping.map((c) => c.users)),
      s.verdict === 'inconclusive' ? 'inconclusive (no call overlapped a worker window)' : `${s.role === 'trigger' ? `no IPI ${s.missed}` : `IPI to the worker's CPU ${s.sent}`}/${s.overlapping.length}${s.verdict === 'unexpected' ? ' UNEXPECTED' : ''}`])];
  out.push(...table(rows), '');
  for (const s of d.scenarios) {
    out.push(`${s.name} (${s.role}): ${s.what}`);
    for (const c of s.overlapping.slice(0, SHOWN)) out.push(`  ${callLine(c)}`);
    if (s.overlapping.length > SHOWN) out.push(`  ... ${s.overlapping.length - SHOWN} more overlapping calls`);
  }
  if (d.global) out.push(...globalText(d.global));
  return out;
}
