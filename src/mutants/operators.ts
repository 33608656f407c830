/**
 * The mutation operators: each finds its sites in one engine source file (parsed, ./ast.ts) and
 * says, per site, the text edits that inject the bug and one line in kernel terms. Sites are found
 * by the engine's own vocabulary (Kctx and strategy method names, the step functions' `switch
 * (f.pc)`), never by a list of places: a new barrier, reference or store in the engine gets its
 * mutants without anyone choosing them.
 *
 * - drop-mb: an `k.mb(...)` (smp_mb() and the barriers implied by atomics, IRET, CR3 writes) is gone.
 * - drop-serialize: a `k.serialize(...)` (core serialization: sync_core, IRET, CR3) is gone.
 * - drop-ref: one refcount operation (mmgrab/mmdrop/mmget/mmput, the lazy-TLB hooks
 *   mmgrab_lazy_tlb/mmdrop_lazy_tlb, and the ownership moves moveRef/move_lazy) is gone.
 * - drop-to-move: a drop (mmdrop, mmput, mmdrop_lazy_tlb) becomes a move of the reference to the
 *   wrong owner (the CPU's runqueue): no decrement, no barrier, the reference leaks to `rq:<cpu>`.
 * - swap-stores: two adjacent stores of a step (publication order; a barrier counts as a store
 *   here, so a store can also move across its barrier) run in the other order. Two units of plain
 *   field stores (with their k.emit) commute inside an atomic step when at most one reports an
 *   event and neither reads what the other writes, so that pair is no site (it would be
 *   equivalent by construction).
 * - split-step-irqs-on: a multi-store step is split in two steps with IRQs on in between: other
 *   CPUs and this CPU's pending IPIs can run in the window (an interrupt window in the kernel path).
 * - drop-cpu: one CPU is dropped from an IPI target set (the first CPU of the send loop), from a
 *   membarrier scan's selection (the first CPU selected), from on_each_cpu_mask()'s local call, or
 *   an mm_cpumask update of one CPU is lost.
 * - drop-store: one store other CPUs or later steps read is lost (a field of a task, CPU or mm, or
 *   a Kctx setter: task->mm, prev_mm, rq->membarrier_state, mm->membarrier_state, the lazy flag,
 *   a hazard slot), with the event that reports it: a patch that forgets a WRITE_ONCE(). Barriers,
 *   references and cpumask updates are the operators above; a whole kernel call (switch_mm...) is
 *   not a store.
 * - force-cond: one kernel decision (an `if` or `? :` condition that reads kernel state, see
 *   ./conditions.ts) is forced: always true (a shortcut or check always taken) or always false
 *   (never taken). The condition is still evaluated, so a call in it keeps its side effects.
 * - drop-wait: a path that sends IPIs and waits for them (a frame's `waitIpis`) no longer waits:
 *   the IPIs are still sent and run later, the sender goes on (./wait-sites.ts).
 * - force-conj: one operand of a compound kernel decision (`a && b`, `a || b`) is forced true or
 *   false: a forgotten conjunct or alternative, an added short-circuit (./conj-sites.ts).
 * - swap-arg: a kernel call or a store is given another variable of the same kind (an mm, task or
 *   CPU, by the declared types), one in scope there: `mmdrop(mm)` for `mmdrop(active_mm)`, an IPI
 *   to `cpu` for `target` (./arguments.ts; one mutant per replacement, at most 2 per site).
 */
import * as path from 'node:path';
import {
  allNodes, calleeName, contains, declaredNames, enclosingFunction, enclosingFunctionNode, enclosingStatement, hasParams, literalArg, mentions, oneLine,
  statementCall, statementList, ts,
} from './ast';
import { swapArg } from './arguments';
import { decisionConditions } from './conditions';
import type { Edit, Operator } from './types';
import { dropWait } from './wait-sites';
import { forceConj } from './conj-sites';

/** One engine source file being mutated. */
export interface FileCtx {
  /** Relative to src/engine, e.g. `kernel/sched.ts`. */
  file: string;
  text: string;
  sf: ts.SourceFile;
  nodes: ts.Node[];
  /** The file's top-level string constants (FN). */
  consts: Map<string, string>;
  /** The engine's helpers whose result is configuration (./conditions.ts configFunctions()). */
  configFns: ReadonlySet<string>;
}

/** A site an operator found; ./enumerate.ts names and numbers it. */
export interface RawSite {
  operator: Operator;
  node: ts.Node;
  description: string;
  edits: Edit[];
  /** Several mutants of one site (force-cond's `true` and `false`): the id's last part, the site numbered once. */
  tag?: string;
}

const NOTHING = 'void 0;';

const REF_CALLS = new Set(['mmgrab', 'mmdrop', 'mmget', 'mmput', 'moveRef', 'mmgrab_lazy_tlb', 'mmdrop_lazy_tlb', 'move_lazy']);
const DROP_CALLS = new Set(['mmdrop', 'mmput', 'mmdrop_lazy_tlb']);
/** Calls that publish state other CPUs read (Kctx setters, hazard slots, refcounts, MMU switches, barriers). */
const STORE_CALL = /^(set(TaskMm|PrevMm|RqMembarrierState|MmMembarrierState|Lazy|LoadedMmSwitching|Cpumask)|setHazardSlot|mb|switch_mm_irqs_off|switchMm|enter_lazy_tlb|leave_mm|sync_core_before_usermode|kernel_to_user|change_current_mm|membarrier\w+)$/;

export const where = (c: FileCtx, n: ts.Node) => {
  const clause = caseOf(n);
  return `${c.file} ${enclosingFunction(n)}()${clause ? ` ${clause}` : ''}`;
};
function caseOf(n: ts.Node): string | null {
  for (let p: ts.Node | undefined = n.parent; p; p = p.parent) {
    if (ts.isCaseClause(p)) return `case ${p.expression.getText()}`;
    if (ts.isDefaultClause(p)) return 'default';
    if (ts.isFunctionLike(p)) return null;
  }
  return null;
}
/** Top-level `const NAME = 'text'` of a file (the engine's `const FN = 'exit_mm'`). */
function constStrings(sf: ts.SourceFile): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of sf.statements) {
    if (!ts.isVariableStatement(s)) continue;
    for (const d of s.declarationList.declarations) if (ts.isIdentifier(d.name) && d.initializer && ts.isStringLiteral(d.initializer)) out.set(d.name.text, d.initializer.text);
  }
  return out;
}
/**
 * The kernel function a call names: its `fn` argument (after `k, cpu` for helpers that take the
 * context, after `cpu` for Kctx methods), a literal or a file constant; null when it is a parameter.
 */
export function kfnOf(c: FileCtx, call: ts.CallExpression): string | null {
  const args = call.arguments;
  const at = args[0]?.getText(c.sf) === 'k' ? 2 : 1;
  const a = args[at];
  if (!a) return literalArg(call);
  if (ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a)) return a.text;
  if (ts.isIdentifier(a)) return c.consts.get(a.text) ?? null;
  return null;
}
const calls = (c: FileCtx) => c.nodes.filter(ts.isCallExpression);
/** Calls that are a whole statement, with their statement. */
const statementCalls = (c: FileCtx) =>
  c.nodes.flatMap((s) => {
    const call = statementCall(s);
    return call ? [{ s: s as ts.ExpressionStatement, call, name: calleeName(call) ?? '' }] : [];
  });
const replace = (c: FileCtx, n: ts.Node, text: string): Edit => ({ start: n.getStart(c.sf), end: n.end, text });

// ---------------------------------------------------------------------------------------------

function dropMb(c: FileCtx): RawSite[] {
  return statementCalls(c)
    .filter((x) => x.name === 'mb')
    .map(({ s, call }) => ({
      operator: 'drop-mb',
      node: s,
      description: kfnOf(c, call) ? `drop the full barrier (smp_mb) of ${kfnOf(c, call)}() in ${where(c, s)}` : `drop the full barrier (smp_mb) in ${where(c, s)}, for every caller`,
      edits: [replace(c, s, NOTHING)],
    }));
}

function dropSerialize(c: FileCtx): RawSite[] {
  return statementCalls(c)
    .filter((x) => x.name === 'serialize')
    .map(({ s, call }) => {
      const how = call.arguments[2] && ts.isStringLiteral(call.arguments[2]) ? call.arguments[2].text : 'core serialization';
      return {
        operator: 'drop-serialize',
        node: s,
        description: `drop the core serialization (${how}) of ${kfnOf(c, call) ?? 'the caller'}() in ${where(c, s)}`,
        edits: [replace(c, s, NOTHING)],
      };
    });
}

function dropRef(c: FileCtx): RawSite[] {
  return statementCalls(c)
    .filter((x) => REF_CALLS.has(x.name))
    .map(({ s, call, name }) => ({
      operator: 'drop-ref',
      node: s,
      description: `drop ${name}()${kfnOf(c, call) && kfnOf(c, call) !== name ? ` of ${kfnOf(c, call)}()` : ''} in ${where(c, s)}`,
      edits: [replace(c, s, NOTHING)],
    }));
}

function dropToMove(c: FileCtx): RawSite[] {
  const rel = path.posix.relative(path.posix.dirname(c.file), 'kernel/mm-refs');
  const moveRef = c.file === 'kernel/mm-refs.ts' ? 'moveRef' : `require(${JSON.stringify(rel.startsWith('.') ? rel : `./${rel}`)}).moveRef`;
  return statementCalls(c)
    .filter((x) => DROP_CALLS.has(x.name))
    .flatMap(({ s, call, name }) => {
      const a = call.arguments.map((x) => x.getText(c.sf));
      if (a.length < 5) return [];
      const wrong = `\`rq:\${${a[1]}}\``;
      let text: string;
      if (name === 'mmdrop_lazy_tlb') {
        const recv = (call.expression as ts.PropertyAccessExpression).expression.getText(c.sf);
        text = `${recv}.move_lazy(${a[0]}, ${a[1]}, ${a[2]}, ${a[3]}, ${a[4]}, ${wrong});`;
      } else {
        const token = name === 'mmput' ? "'users'" : (a[5] ?? "'grab'");
        text = `${moveRef}(${a[0]}, ${a[1]}, ${a[2]}, ${a[3]}, ${token}, ${a[4]}, ${wrong});`;
      }
      return [{
        operator: 'drop-to-move' as const,
        node: s,
        description: `${name}()${kfnOf(c, call) && kfnOf(c, call) !== name ? ` of ${kfnOf(c, call)}()` : ''} in ${where(c, s)} hands the reference to the runqueue instead of dropping it`,
        edits: [replace(c, s, text)],
      }];
    });
}

// ---------------------------------------------------------------------------------------------
// Stores

/** Whether a statement is a store other CPUs can observe (see STORE_CALL), and how to name it. */
function storeLabel(c: FileCtx, s: ts.Statement): string | null {
  const call = statementCall(s);
  if (call) {
    const name = calleeName(call) ?? '';
    if (STORE_CALL.test(name) || REF_CALLS.has(name)) return `${name}(${kfnOf(c, call) ?? ''})`;
    return null;
  }
  if (ts.isExpressionStatement(s) && ts.isBinaryExpression(s.expression) && s.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const left = s.expression.left;
    if (!ts.isPropertyAccessExpression(left) && !ts.isElementAccessExpression(left)) return null;
    // The frame (`f.pc`, `f.oldMm`) is the path's own local state, not a store others see.
    let root: ts.Expression = left;
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = root.expression;
    if (ts.isIdentifier(root) && root.text === 'f') return null;
    return oneLine(s.getText(c.sf), 40);
  }
  // `if (cond) store;` without else: a conditional store is still one store.
  if (ts.isIfStatement(s) && !s.elseStatement && !ts.isBlock(s.thenStatement)) {
    const inner = storeLabel(c, s.thenStatement);
    return inner ? `if (${oneLine(s.expression.getText(c.sf), 30)}) ${inner}` : null;
  }
  return null;
}

/** A store unit: a store statement and, for a plain assignment, the `k.emit()` that reports it. */
interface Unit {
  first: ts.Statement;
  last: ts.Statement;
  label: string;
}
function storeUnits(c: FileCtx, list: readonly ts.Statement[]): (Unit | null)[] {
  const out: (Unit | null)[] = [];
  for (let i = 0; i < list.length; i++) {
    const label = storeLabel(c, list[i]);
    if (label === null) {
      out.push(null);
      continue;
    }
    const next = list[i + 1];
    const emit = next && statementCall(next) && calleeName(statementCall(next) as ts.CallExpression) === 'emit';
    if (emit && !statementCall(list[i])) {
      out.push({ first: list[i], last: next, label });
      i++;
    } else out.push({ first: list[i], last: list[i], label });
  }
  return out;
}
const lists = (c: FileCtx): (readonly ts.Statement[])[] =>
  c.nodes.flatMap((n) => (ts.isBlock(n) || ts.isCaseClause(n) || ts.isDefaultClause(n) ? [n.statements] : []));

/** The assignments of a unit made only of field stores and their `k.emit()` (no other call), else null. */
function plainStores(u: Unit, list: readonly ts.Statement[]): { assigns: ts.BinaryExpression[]; emits: boolean } | null {
  const stmts = list.slice(list.indexOf(u.first), list.indexOf(u.last) + 1);
  const assigns: ts.BinaryExpression[] = [];
  let emits = false;
  for (const st of stmts) {
    const call = statementCall(st);
    if (call && calleeName(call) === 'emit') emits = true;
    else if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && !contains(st.expression.right, ts.isCallExpression)) assigns.push(st.expression);
    else return null;
  }
  return { assigns, emits };
}
/**
 * Two units of plain field stores commute inside an atomic step when at most one of them reports
 * an event (so the trace keeps its order) and neither reads a field the other writes: their swap
 * is equivalent by construction, so it is no site.
 */
function commute(c: FileCtx, a: Unit, b: Unit, list: readonly ts.Statement[]): boolean {
  const x = plainStores(a, list);
  const y = plainStores(b, list);
  if (!x || !y || (x.emits && y.emits)) return false;
  const text = (u: Unit) => c.text.slice(u.first.getStart(c.sf), u.last.end);
  const reads = (u: Unit, other: { assigns: ts.BinaryExpression[] }) => other.assigns.some((w) => text(u).replace(w.getText(c.sf), '').includes(w.left.getText(c.sf)));
  return !reads(a, y) && !reads(b, x);
}

function swapStores(c: FileCtx): RawSite[] {
  const out: RawSite[] = [];
  for (const list of lists(c)) {
    const units = storeUnits(c, list);
    for (let i = 0; i + 1 < units.length; i++) {
      const a = units[i];
      const b = units[i + 1];
      if (!a || !b || commute(c, a, b, list)) continue;
      const ta = c.text.slice(a.first.getStart(c.sf), a.last.end);
      const tb = c.text.slice(b.first.getStart(c.sf), b.last.end);
      out.push({
        operator: 'swap-stores',
        node: a.first,
        description: `${b.label} before ${a.label} in ${where(c, a.first)} (publication order)`,
        edits: [{ start: a.first.getStart(c.sf), end: b.last.end, text: `${tb}\n${ta}` }],
      });
    }
  }
  return out;
}

/** Kctx setters that are one store (not barriers, references, cpumasks or whole kernel calls). */
const ONE_STORE_CALL = /^(set(TaskMm|PrevMm|RqMembarrierState|MmMembarrierState|Lazy|LoadedMmSwitching)|setHazardSlot)$/;

function dropStore(c: FileCtx): RawSite[] {
  const out: RawSite[] = [];
  for (const list of lists(c)) {
    for (const u of storeUnits(c, list)) {
      if (!u) continue;
      const call = statementCall(u.first);
      const inner = !call && ts.isIfStatement(u.first) ? statementCall(u.first.thenStatement) : call;
      if (inner && !ONE_STORE_CALL.test(calleeName(inner) ?? '')) continue;
      out.push({
        operator: 'drop-store',
        node: u.first,
        description: `lose the store ${u.label} in ${where(c, u.first)}`,
        edits: [{ start: u.first.getStart(c.sf), end: u.last.end, text: NOTHING }],
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Steps

const isPcStore = (n: ts.Node) =>
  ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && n.left.getText() === 'f.pc';

/**
 * Split a case of a step function's `switch (f.pc)` after statement i: the first half ends the step
 * with IRQs on (`f.mutIrqsOff` keeps whether they were off) and a fresh pc; the second half, a new
 * case, turns them back off and runs the rest. Only where the first half neither returns nor sets
 * f.pc, declares nothing the second half reads, and both halves store something.
 */
function splitStep(c: FileCtx): RawSite[] {
  const out: RawSite[] = [];
  let fresh = 9000;
  for (const sw of c.nodes.filter(ts.isSwitchStatement)) {
    if (sw.expression.getText(c.sf) !== 'f.pc') continue;
    const fn = enclosingFunctionNode(sw);
    if (!hasParams(fn, ['k', 'cpu', 'f'])) continue;
    const returnsValue = contains(fn as ts.Node, (n) => ts.isReturnStatement(n) && n.expression !== undefined && ts.isStringLiteral(n.expression));
    const ret = returnsValue ? "return 'more';" : 'return;';
    for (const clause of sw.caseBlock.clauses) {
      const block = clause.statements.length === 1 && ts.isBlock(clause.statements[0]) ? clause.statements[0].statements : clause.statements;
      const header = ts.isCaseClause(clause) ? `case ${clause.expression.getText(c.sf)}:` : 'default:';
      for (let i = 1; i < block.length; i++) {
        const head = block.slice(0, i);
        const tail = block.slice(i);
        if (head.some((s) => contains(s, (n) => ts.isReturnStatement(n) || isPcStore(n)))) break;
        const declared = new Set(head.flatMap(declaredNames));
        if (declared.size && tail.some((s) => mentions(s, declared))) continue;
        if (!head.some((s) => storeLabel(c, s)) || !tail.some((s) => storeLabel(c, s))) continue;
        const pc = fresh++;
        const text = (from: number, to: number) => c.text.slice(block[from].getStart(c.sf), block[to].end);
        const replacement =
          `${header} { ${text(0, i - 1)}\n` +
          `f.mutIrqsOff = k.cpu(cpu).irqsOff; k.setIrqs(cpu, false); f.pc = ${pc}; ${ret} }\n` +
          `case ${pc}: { k.setIrqs(cpu, f.mutIrqsOff); delete f.mutIrqsOff;\n${text(i, block.length - 1)} }`;
        out.push({
          operator: 'split-step-irqs-on',
          node: block[i],
          description: `${where(c, block[i])} is split before "${oneLine(block[i].getText(c.sf), 40)}" with IRQs on in between (an interrupt/IPI window)`,
          edits: [{ start: clause.getStart(c.sf), end: clause.end, text: replacement }],
        });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Target sets

const isLoop = (n: ts.Node) => ts.isForOfStatement(n) || ts.isForStatement(n) || ts.isForInStatement(n) || ts.isWhileStatement(n);

function dropCpu(c: FileCtx): RawSite[] {
  const out: RawSite[] = [];
  let skip = 0;
  for (const call of calls(c)) {
    const name = calleeName(call);
    if (name === 'sendIpi') {
      const func = call.arguments[3] && ts.isStringLiteral(call.arguments[3]) ? call.arguments[3].text : 'the IPI';
      const desc = `${kfnOf(c, call) ?? 'the sender'}() skips the first target CPU of its ${func} IPIs in ${where(c, call)}`;
      // `.filter(...).map((c) => k.sendIpi(...))`: drop the first element of the target list.
      const arrow = call.parent;
      if (ts.isArrowFunction(arrow) && ts.isCallExpression(arrow.parent) && calleeName(arrow.parent) === 'map' && ts.isPropertyAccessExpression(arrow.parent.expression)) {
        const recv = arrow.parent.expression.expression;
        out.push({ operator: 'drop-cpu', node: call, description: desc, edits: [{ start: recv.end, end: recv.end, text: '.slice(1)' }] });
        continue;
      }
      const s = enclosingStatement(call);
      let loop: ts.Node | undefined = s?.parent;
      while (loop && !isLoop(loop) && !ts.isFunctionLike(loop)) loop = loop.parent;
      if (!s || !loop || !isLoop(loop) || !statementList(loop)) continue;
      const v = `mutSkip${skip++}`;
      out.push({
        operator: 'drop-cpu',
        node: call,
        description: desc,
        edits: [
          { start: loop.getStart(c.sf), end: loop.getStart(c.sf), text: `let ${v} = true;\n` },
          { start: s.getStart(c.sf), end: s.end, text: `if (${v}) { ${v} = false; } else { ${s.getText(c.sf)} }` },
        ],
      });
    } else if (name === 'runIpiFunc' && call.arguments[3]?.kind === ts.SyntaxKind.TrueKeyword) {
      const s = enclosingStatement(call);
      if (!s || statementCall(s) !== call) continue;
      const func = literalFunc(call);
      out.push({
        operator: 'drop-cpu',
        node: call,
        description: `on_each_cpu_mask() in ${where(c, call)} no longer runs ${func} on the calling CPU (drops it from the targets)`,
        edits: [replace(c, s, NOTHING)],
      });
    } else if (name === 'setCpumask') {
      const s = enclosingStatement(call);
      if (!s || statementCall(s) !== call) continue;
      const set = call.arguments[4]?.getText(c.sf);
      out.push({
        operator: 'drop-cpu',
        node: call,
        description: `lose the mm_cpumask update (${set === 'true' ? 'set' : set === 'false' ? 'clear' : 'update'} of a CPU) of ${kfnOf(c, call) ?? 'the caller'}() in ${where(c, call)}`,
        edits: [replace(c, s, NOTHING)],
      });
    } else if (name === 'push' && ts.isPropertyAccessExpression(call.expression) && /targets/i.test(call.expression.expression.getText(c.sf))) {
      const s = enclosingStatement(call);
      if (!s || statementCall(s) !== call || !hasParams(enclosingFunctionNode(call), ['f'])) continue;
      out.push({
        operator: 'drop-cpu',
        node: call,
        description: `the scan in ${where(c, call)} leaves out the first CPU it selects`,
        edits: [replace(c, s, `if (!f.mutSkipped) { f.mutSkipped = true; } else { ${s.getText(c.sf)} }`)],
      });
    }
  }
  return out;
}
function literalFunc(call: ts.CallExpression): string {
  const ipi = call.arguments[2];
  if (ipi && ts.isObjectLiteralExpression(ipi)) {
    for (const p of ipi.properties) {
      if (ts.isPropertyAssignment(p) && p.name.getText() === 'func') return ts.isStringLiteral(p.initializer) ? `${p.initializer.text}()` : 'the IPI function';
    }
  }
  return 'the IPI function';
}

// ---------------------------------------------------------------------------------------------
// Decisions

/** The statement a condition decides: `if (...)` or the statement holding the `? :`. */
const decided = (cond: ts.Expression) => (ts.isIfStatement(cond.parent) ? 'if' : '?:');

function forceCond(c: FileCtx): RawSite[] {
  return decisionConditions(c.nodes, c.configFns).flatMap((cond) => {
    const text = cond.getText(c.sf);
    const quoted = `${decided(cond)} (${oneLine(text, 70)})`;
    // Named by its statement: a `? :` in `const x = ...` is in the function, not in a function `x`.
    const at = ts.isIfStatement(cond.parent) ? cond : (enclosingStatement(cond) ?? cond);
    return ([true, false] as const).map((value) => ({
      operator: 'force-cond' as const,
      node: at,
      tag: String(value),
      description: `${where(c, at)}: ${quoted} is always ${value} (${ts.isIfStatement(cond.parent) ? `the branch is ${value ? 'always' : 'never'} taken` : `always the ${value ? 'first' : 'second'} value`})`,
      // `(cond) || true` / `(cond) && false`: the condition is still evaluated (a call in it keeps its effects).
      edits: [replace(c, cond, value ? `((${text}) || true)` : `((${text}) && false)`)],
    }));
  });
}

/** Every operator, in the order of OPERATORS. */
export const OPERATOR_FINDERS: Record<Operator, (c: FileCtx) => RawSite[]> = {
  'drop-mb': dropMb,
  'drop-serialize': dropSerialize,
  'drop-ref': dropRef,
  'drop-to-move': dropToMove,
  'swap-stores': swapStores,
  'split-step-irqs-on': splitStep,
  'drop-cpu': dropCpu,
  'drop-store': dropStore,
  'force-cond': forceCond,
  'drop-wait': (c) => dropWait(c, (n) => where(c, n)),
  'force-conj': (c) => forceConj(c, (n) => where(c, n)),
  // Called late: ./arguments.ts reads the engine directory of ./enumerate.ts, which imports this file.
  'swap-arg': (c) => swapArg(c),
};

export function fileCtx(file: string, text: string, sf: ts.SourceFile, configFns: ReadonlySet<string> = new Set()): FileCtx {
  return { file, text, sf, nodes: allNodes(sf), consts: constStrings(sf), configFns };
}
