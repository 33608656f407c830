import { gunzipSync } from 'zlib';

/**
 * The guest's output (./init-script.ts) parsed: the kallsyms line, and per scenario its exit
 * status, elapsed times traced and untraced, lost events and the ftrace text lines, each parsed
 * into (comm, pid, tgid, cpu, timestamp, event, fields). The format is the `trace` file of
 * tracefs with options/record-tgid and trace_clock=counter:
 *
 *   ge-exit-120     (    120) [002] .....   3143: mbe: (__x64_sys_membarrier+0x0/0x20) cmd=2 ...
 */

export interface FtraceRecord {
  /** Line number in the guest's output (1-based), to cite. */
  line: number;
  comm: string;
  pid: number;
  tgid: number | null;
  cpu: number;
  ts: number;
  event: string;
  /** key=value fields (kprobe args, tracepoint fields); the probe's location is not a field. */
  fields: Record<string, string>;
  /** For trace_marker writes: the text. */
  text?: string;
  raw: string;
}

export interface ScenarioBlock {
  name: string;
  rc: number | null;
  elapsedUs: number | null;
  untracedUs: number | null;
  lost: number;
  records: FtraceRecord[];
}

export interface BootOutput {
  kallsyms: Record<string, string>;
  failedProbes: string[];
  /** Modules insmod could not load (./init-script.ts loads /mod/order for the gadget scenarios). */
  failedModules: string[];
  scenarios: ScenarioBlock[];
  done: boolean;
}

const LINE = /^\s*(.*?)-(\d+)\s+\(\s*([\d-]+)\)\s+\[(\d+)\]\s+\S+\s+(\d+):\s+([\w.]+):\s?(.*)$/;
const FIELD = /([A-Za-z_][\w]*)=(\S*)/g;

/** One ftrace text line, or null when it is not an event line (headers, comments). */
export function parseFtraceLine(raw: string, line: number): FtraceRecord | null {
  const m = LINE.exec(raw);
  if (!m) return null;
  const [, comm, pid, tgid, cpu, ts, event, rest] = m;
  const r: FtraceRecord = { line, comm, pid: Number(pid), tgid: /^\d+$/.test(tgid) ? Number(tgid) : null, cpu: Number(cpu), ts: Number(ts), event, fields: {}, raw };
  if (event === 'tracing_mark_write') {
    r.text = rest.trim();
    return r;
  }
  const body = rest.replace(/^\([^)]*\)\s*/, '');
  for (const f of body.matchAll(FIELD)) r.fields[f[1]] = f[2];
  return r;
}

const elapsed = (s: string) => {
  const m = /lazymm-elapsed \S+ (\d+)/.exec(s);
  return m ? Number(m[1]) : null;
};

/**
 * The guest's output with every gzip'ed and base64'ed trace block (`#lazymm trace-gz NAME` up to
 * the block's `#lazymm end`) replaced by its text, so that line numbers cite the text. Text that has
 * no such block is returned as it is.
 */
export function expandGuestOutput(raw: string): string {
  const lines = raw.split(/\r?\n/);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('#lazymm trace-gz ')) {
      out.push(lines[i]);
      continue;
    }
    const b64: string[] = [];
    while (i + 1 < lines.length && !lines[i + 1].startsWith('#lazymm ')) b64.push(lines[++i]);
    let text: string;
    try {
      text = gunzipSync(Buffer.from(b64.join(''), 'base64')).toString('latin1');
    } catch (err) {
      throw new Error(`the trace of ${lines[i - b64.length].slice('#lazymm trace-gz '.length)} is truncated or corrupt (${(err as Error).message})`);
    }
    out.push(...text.replace(/\n$/, '').split('\n'));
  }
  return out.join('\n');
}

/** Splits the guest's output into its blocks (see ./init-script.ts). */
export function parseBootOutput(text: string): BootOutput {
  const out: BootOutput = { kallsyms: {}, failedProbes: [], failedModules: [], scenarios: [], done: false };
  const untraced = new Map<string, number | null>();
  let cur: ScenarioBlock | null = null;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.startsWith('#lazymm ')) {
      const [, tag, name, ...rest] = l.split(' ');
      const tail = rest.join(' ');
      if (tag === 'kallsyms') for (const f of [name, ...rest]) { const [k, v] = f.split('='); if (v !== undefined) out.kallsyms[k] = v; }
      else if (tag === 'probe-failed') out.failedProbes.push([name, ...rest].join(' '));
      else if (tag === 'module-failed') out.failedModules.push(name);
      else if (tag === 'untraced') untraced.set(name, elapsed(tail));
      else if (tag === 'scenario') {
        const rc = /rc=(\d+)/.exec(tail);
        cur = { name, rc: rc ? Number(rc[1]) : null, elapsedUs: elapsed(tail), untracedUs: untraced.get(name) ?? null, lost: 0, records: [] };
        out.scenarios.push(cur);
      } else if (tag === 'lost' && cur) cur.lost = Number(rest[0]) || 0;
      else if (tag === 'end') cur = null;
      else if (tag === 'done') out.done = true;
      continue;
    }
    if (!cur) continue;
    const r = parseFtraceLine(l, i + 1);
    if (r) cur.records.push(r);
  }
  return out;
}

/** A hex pointer field as a string key ("0x0" and a missing field are null). */
export function ptr(r: FtraceRecord, key: string): string | null {
  const v = r.fields[key];
  if (v === undefined || /^0x0+$/.test(v) || v === '0') return null;
  return v;
}

export function num(r: FtraceRecord, key: string): number {
  const v = r.fields[key];
  if (v === undefined) throw new Error(`line ${r.line}: ${r.event} has no field ${key}`);
  return v.startsWith('0x') ? parseInt(v, 16) : Number(v.replace(/\+.*$/, ''));
}

/** What a snapshot field set says about CPU c: rq->membarrier_state, rq->curr's pid and mm. */
export interface CpuSnapshot {
  rqMembarrierState: number;
  currPid: number;
  currMm: string | null;
}

export function snapshot(r: FtraceRecord, c: number): CpuSnapshot {
  return { rqMembarrierState: num(r, `s${c}`), currPid: num(r, `p${c}`), currMm: ptr(r, `m${c}`) };
}

/** The symbol name of a `:symbol` fetch-arg ("ipi_mb+0x0/0x10" -> "ipi_mb"). */
export function symbolName(v: string | undefined): string {
  return (v ?? '').replace(/\+0x[0-9a-f]+\/0x[0-9a-f]+$/, '');
}
