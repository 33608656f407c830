/**
 * The checker the explorer runs: the real property monitors (one MirrorDriver, as
 * createTraceChecker() builds it). Its state is data: clone() forks it in O(state) (the mirror and
 * every property's hook object, MirrorHooks.clone()), so the explorer checks a transition by
 * cloning the monitor of the state it leaves instead of replaying the path. key() writes the
 * property side of a state: the trace mirror (read directly, so no assumption that it agrees with
 * the engine's state) and every property's own key (MirrorHooks.key()): one definition of each
 * property's state, the one random checks and check-trace run.
 */
import type { InitEvent, TraceEvent } from '../trace/events';
import type { Property, Violation } from '../../properties/property';
import { MirrorDriver } from '../../properties/lib/driver';
import type { Mirror } from '../../properties/lib/mirror';
import { isMirrorProperty, type MirrorProperty } from '../../properties/lib/mirror-property';
import type { PathFrame } from '../../properties/lib/path-frames';
import type { Renamings } from './canonical';
import { mirrorHash, viewsInOrder, type MirrorRenaming } from './mirror-hash';

export class ExploreMonitor {
  readonly driver: MirrorDriver;

  /**
   * `properties` must already be filtered by appliesTo(init) and all be mirror properties.
   * `settleEachOp`: endOp() ends the atomic step (ExploreOptions.settleEachOp).
   */
  constructor(
    private readonly init: InitEvent,
    private readonly properties: readonly MirrorProperty[],
    driver?: MirrorDriver,
    readonly settleEachOp = false,
  ) {
    this.driver = driver ?? new MirrorDriver(init, properties);
  }

  get mirror(): Mirror {
    return this.driver.mirror;
  }

  /**
   * An independent copy (the mirror and every property's state), O(state). The mirror's task and mm
   * views are shared until either side writes one (copy-on-write). `freeze` (tests,
   * ExploreOptions.freezeShared): freeze the views first, so a write that bypasses the mirror's
   * write accessors throws.
   */
  clone(freeze = false): ExploreMonitor {
    if (freeze) {
      for (const t of this.mirror.tasks.values()) Object.freeze(t);
      for (const m of this.mirror.mms.values()) Object.freeze(Object.freeze(m).cpumask);
    }
    return new ExploreMonitor(this.init, this.properties, this.driver.clone(this.init, this.properties), this.settleEachOp);
  }

  /** Observe event `i`; returns the violations found at it. */
  observe(ev: TraceEvent, i: number): readonly Violation[] {
    return this.driver.observe(ev, i);
  }

  /**
   * The end of an op's events (a transition, or the boot): with `settleEachOp` the atomic step in
   * progress ends here (MirrorDriver.endStep()), so no property's check is left pending in the state
   * the explorer keys; returns the violations of those checks. Without it, nothing (the step settles
   * at the next event of another CPU, as in a random check).
   */
  endOp(): readonly Violation[] {
    return this.settleEachOp ? this.driver.endStep() : [];
  }

  /** End of trace (settles the step in progress: call it on a copy, or last). */
  finish(): readonly Violation[] {
    return this.driver.finish();
  }

  /** The property side of the state key (call before finish()). */
  key(ids: Renamings): string {
    return `${mirrorKey(this.mirror, ids)}\n${this.driver.propertyKey(ids)}`;
  }

  /**
   * key() with the mirror's part as its 64-bit hash (./mirror-hash.ts) instead of its text: what the
   * explorer's visited set takes. With `sym` (symmetry reduction), of the renamed mirror and properties.
   */
  hashedKey(ids: Renamings, sym?: MirrorRenaming): string {
    return `${mirrorHash(this.mirror, ids, sym)}\n${this.driver.propertyKey(ids, sym?.rename)}`;
  }

  /**
   * key() (the full text), checking on the way that no other mirror text seen shares this mirror's
   * hash, and that this text had no other hash (`seen`: `#hash` -> text and text -> hash; tests:
   * ExploreOptions.checkCollisions).
   */
  keyChecked(ids: Renamings, seen: Map<string, string>, sym?: MirrorRenaming): string {
    const text = mirrorKey(this.mirror, ids, sym);
    const h = mirrorHash(this.mirror, ids, sym);
    const had = seen.get(`#${h}`);
    if (had !== undefined && had !== text) throw new Error(`explore: mirror hash collision (${h}) between two different mirror states`);
    const hadHash = seen.get(text);
    if (hadHash !== undefined && hadHash !== h) throw new Error(`explore: one mirror state with two hashes (${hadHash}, ${h}): mirrorHash() reads something mirrorKey() does not write`);
    seen.set(`#${h}`, text);
    seen.set(text, h);
    return `${text}\n${this.driver.propertyKey(ids, sym?.rename)}`;
  }
}

/** The private fields of PathFrames (properties/lib/path-frames.ts) the key reads. */
interface PathFramesInternals {
  running: PathFrame[][];
  suspended: Map<string, PathFrame[]>;
  perTask: Map<string, number>;
  begunOn: number[];
  open: number;
}
const PATH_FRAMES_FIELDS = ['running', 'suspended', 'perTask', 'begunOn', 'open'];

/** Mirror-view fields that feed messages only (event references), left out of the key. */
export const MIRROR_MESSAGE_ONLY: ReadonlySet<string> = new Set([
  'lastMbEv', 'lastSerializeEv', 'lastSwitchTo', 'lastRqCurr', 'lastLoadMm', 'lastUserEnter', 'lastUserExit',
  'lastRqMembarrierState', 'lastMembarrierState', 'freedAt', 'lastSwitch', 'lastMmChange',
]);
/** Mirror-view fields the key covers, by view. */
export const MIRROR_KEYED = {
  task: ['id', 'type', 'tgid', 'mm', 'activeMm', 'state', 'onCpu', 'currOn'],
  cpu: ['id', 'online', 'curr', 'current', 'mode', 'loadedMm', 'isLazy', 'prevMm', 'rqMembarrierState', 'tempMm', 'hazardLazyMm', 'hazardDropMm', 'lastMb', 'lastSerialize', 'irqsOff', 'inIrq'],
  mm: ['id', 'isStatic', 'users', 'count', 'freed', 'tornDown', 'membarrierState', 'cpumask', 'tlbGen'],
} as const;

const s = (v: unknown): string => (v === null ? '~' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/**
 * The mirror's part of the key: every task, CPU and mm view (without event references; lastMb and
 * lastSerialize are written by the properties' keys (sync-core-before-usermode, membarrier-ordering), relative to what they are compared with), the paths in flight (running per CPU, suspended per task), and the
 * pending IPIs (renamed).
 *
 * With `sym` (symmetry reduction, ./symmetry.ts): the key of the mirror renamed by `sym.rename`,
 * every task and mm name renamed, the task and mm views written in `sym.order` of the renamed
 * names (the view of `sym.inverse(n)` in n's place), per-task maps renamed before sorting, tgids by `sym.tgid`.
 */
export function mirrorKey(m: Mirror, ids: Renamings, sym?: MirrorRenaming): string {
  const out: string[] = [];
  const r = sym === undefined ? (x: string) => x : sym.rename;
  const rn = (x: string | null) => (x === null ? '~' : r(x));
  const inOrder = <V>(views: Map<string, V>): Iterable<V> => viewsInOrder(views, sym);
  for (const t of inOrder(m.tasks)) out.push(`t${r(t.id)}:${t.type}:${t.tgid === null ? '~' : sym === undefined ? t.tgid : sym.tgid(t.tgid)}:${rn(t.mm)}:${rn(t.activeMm)}:${t.state}:${s(t.onCpu)}:${s(t.currOn)}`);
  for (const c of m.cpus) {
    if (c === undefined) {
      out.push('c-');
      continue;
    }
    const tempMm = c.tempMm === null || sym === undefined ? s(c.tempMm) : JSON.stringify({ ...c.tempMm, temp: r(c.tempMm.temp), saved: c.tempMm.saved === null ? null : r(c.tempMm.saved) });
    out.push(
      `c${c.id}:${c.online ? 1 : 0}:${r(c.curr)}:${r(c.current)}:${c.mode}:${r(c.loadedMm)}:${c.isLazy ? 1 : 0}:${rn(c.prevMm)}:${c.rqMembarrierState}:` +
        `${tempMm}:${rn(c.hazardLazyMm)}:${rn(c.hazardDropMm)}:${c.irqsOff ? 1 : 0}:${c.inIrq ? 1 : 0}`,
    );
  }
  for (const x of inOrder(m.mms)) {
    out.push(`m${r(x.id)}:${x.isStatic ? 1 : 0}:${x.users}:${x.count}:${x.freed ? 1 : 0}:${x.tornDown ? 1 : 0}:${x.membarrierState}:${x.cpumask.map((b) => (b ? 1 : 0)).join('')}:${x.tlbGen}`);
  }
  const paths = m.paths as unknown as PathFramesInternals;
  if (!Array.isArray(paths.running) || !(paths.suspended instanceof Map) || !(paths.perTask instanceof Map) || !Array.isArray(paths.begunOn)) {
    throw new Error('explore: properties/lib/path-frames.ts changed its fields; update mirrorKey() in src/explore/monitor.ts');
  }
  const frame = (f: PathFrame) => `${f.fn}/${r(f.task)}/${f.cpu}`;
  out.push(`p${paths.open}:${paths.begunOn.join(',')}`);
  paths.running.forEach((st, cpu) => out.push(`r${cpu}:${st.map(frame).join(',')}`));
  out.push(`u${[...paths.suspended].filter(([, l]) => l.length > 0).map(([t, l]) => `${r(t)}=${l.map(frame).join(',')}`).sort().join(';')}`);
  out.push(`n${[...paths.perTask].filter(([, n]) => n !== 0).map(([t, n]) => `${r(t)}=${n}`).sort().join(',')}`);
  out.push(`i${[...m.pendingIpis.keys()].map((id) => ids.ipi.name(id)).sort((a, b) => a - b).join(',')}`);
  return out.join('\n');
}

/** Mirror-view fields neither keyed nor known to be message-only (a change of the mirror that the key must learn about). */
export function unknownMirrorFields(m: Mirror): string[] {
  const out: string[] = [];
  const check = (kind: keyof typeof MIRROR_KEYED, obj: object | undefined) => {
    if (obj === undefined) return;
    for (const k of Object.keys(obj)) {
      if (!(MIRROR_KEYED[kind] as readonly string[]).includes(k) && !MIRROR_MESSAGE_ONLY.has(k)) out.push(`${kind}.${k}`);
    }
  };
  check('task', m.tasks.values().next().value);
  check('cpu', m.cpus[0]);
  check('mm', m.mms.values().next().value);
  // ownTasks/ownMms: which views the mirror may write in place (copy-on-write bookkeeping, not state).
  const mirrorOwn = Object.keys(m).filter((k) => !['init', 'tasks', 'cpus', 'mms', 'paths', 'pendingIpis', 'lastIndex', 'ownTasks', 'ownMms'].includes(k));
  out.push(...mirrorOwn.map((k) => `mirror.${k}`));
  out.push(...Object.keys(m.paths).filter((k) => !PATH_FRAMES_FIELDS.includes(k)).map((k) => `paths.${k}`));
  return [...new Set(out)];
}

/** Split the selected properties into mirror properties (supported) and the others. */
export function mirrorPropertiesOf(properties: readonly Property[]): { mirror: MirrorProperty[]; other: Property[] } {
  const mirror: MirrorProperty[] = [];
  const other: Property[] = [];
  for (const p of properties) (isMirrorProperty(p) ? mirror : other).push(p);
  return { mirror, other };
}
