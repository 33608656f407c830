/**
 * The sites of swap-arg (./operators.ts): a kernel call or a store given the wrong variable --
 * `mmdrop(mm)` where the kernel drops `active_mm`, `switch_mm(prev, next)` with the wrong one, an
 * IPI sent to `cpu` instead of `target`, `prev->active_mm` stored instead of `next->active_mm`.
 *
 * A site is an expression of a kind (./kinds.ts: an mm, task or CPU, as an id or a record) that is
 * - an argument of an engine call whose declared parameter has that kind (a Kctx, strategy or arch
 *   method, or an engine helper: mmgrab/mmdrop/mmget/mmput and the lazy hooks, switch_mm paths,
 *   sendIpi, cpumask updates, membarrier updates...), or its primitive when the argument has the
 *   kind (the pure decision helpers: `syncRunqueuesSelects(currMm: string | null, mm: string)`,
 *   membarrierScanSelects()'s `{ currMm, callerMm, target }`: the scan comparing p->mm with the wrong mm), or
 * - the value stored to a field declared of that kind (`t.activeMm = ...`, `f.oldActive = ...`, a
 *   property of an object literal: `c.tempMm = { temp, saved }`),
 * and its replacements are the OTHER expressions of a fitting kind (./kinds.ts fits(): the mutant
 * still type-checks) in scope there: a parameter or local of the enclosing functions declared before
 * the site, or a field read the function already makes whose variables are in scope. At most
 * {@link MAX_REPLACEMENTS} per site, the nearest in the source first. A replacement that is the
 * site's own value under another name (`mm` for `f.mm as MmId` after `const mm = f.mm as MmId`), or
 * one a dominating test made equal to it (`prev` for `next` inside `if (prev === next)`), is none;
 * so is a field of the path's frame (a kernel local, `f.oldMm`) before the function first assigns it. Not sites: trace plumbing (`k.emit()`, `k.path()` arguments), harness invariants (a call in
 * a `throw`, in the condition of an `if` that throws, or in an `invariant()`/`assert()`), the CPU
 * the code runs on (executingCpu() below), literals (`null`, `'SWITCHING'`), and configuration (no
 * configuration value has one of the kinds).
 */
import { calleeName, enclosingStatement, oneLine, ts } from './ast';
import { declaredKind, fits, kindOf, parameterKind, primitiveSlot, type Kind } from './kinds';
import { typedFile } from './program';
import { cachedSites } from './typed-cache';
import { ENGINE_DIR, mutableFiles } from './enumerate';
import { kfnOf, where, type FileCtx, type RawSite } from './operators';
import type { Edit } from './types';

export const MAX_REPLACEMENTS = 2;

/** Calls whose arguments only feed the trace. */
const PLUMBING = new Set(['emit', 'path']);
/** Kctx readers: a candidate field read may go through them (no side effect). */
const READERS = new Set(['cpu', 'task', 'mm', 'current']);

export interface ArgSite {
  /** The expression replaced (an argument or a stored value). */
  node: ts.Expression;
  /** The replacement, and the id tag made from it. */
  replacement: string;
  tag: string;
  /** `mmdrop_lazy_tlb(mm) instead of mmdrop_lazy_tlb(f.oldActive as MmId)`-style account. */
  what: string;
  edits: Edit[];
}

/** The outermost function-like node `n` is in (a step function, an object method), or null. */
function outerFunction(n: ts.Node): ts.FunctionLikeDeclaration | null {
  let out: ts.FunctionLikeDeclaration | null = null;
  for (let p: ts.Node | undefined = n.parent; p; p = p.parent) {
    if (ts.isFunctionDeclaration(p) || ts.isMethodDeclaration(p) || ts.isArrowFunction(p) || ts.isFunctionExpression(p)) {
      out = p;
      // A method of an object literal stops there: its siblings are other functions.
      if (ts.isMethodDeclaration(p) || ts.isFunctionDeclaration(p) || (ts.isPropertyAssignment(p.parent) && ts.isObjectLiteralExpression(p.parent.parent))) break;
      const statement = p.parent.parent?.parent;
      if (ts.isVariableDeclaration(p.parent) && statement && ts.isVariableStatement(statement) && ts.isSourceFile(statement.parent)) break;
    }
  }
  return out;
}

function inPlumbing(n: ts.Node): boolean {
  for (let p = n.parent; p && !ts.isFunctionLike(p); p = p.parent) {
    if (ts.isThrowStatement(p)) return true;
    // The condition of an invariant (`if (...) throw ...`).
    if (ts.isIfStatement(p) && isAncestor(p.expression, n) && (ts.isThrowStatement(p.thenStatement) || (ts.isBlock(p.thenStatement) && p.thenStatement.statements.some(ts.isThrowStatement)))) return true;
    if (ts.isCallExpression(p) && (PLUMBING.has(calleeName(p) ?? '') || /^(invariant|assert\w*)$/.test(calleeName(p) ?? ''))) return true;
  }
  return false;
}

const strip = (e: ts.Expression): ts.Expression =>
  ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e) ? strip(e.expression) : e;

/** Whether an expression is a value read (a variable, a field, an accessor-made record), not a literal or a computation. */
function isRead(e: ts.Expression): boolean {
  const x = strip(e);
  if (ts.isIdentifier(x)) return x.text !== 'undefined';
  if (ts.isPropertyAccessExpression(x)) return isRead(x.expression) || x.expression.kind === ts.SyntaxKind.ThisKeyword;
  if (ts.isElementAccessExpression(x)) return isRead(x.expression) && isRead(x.argumentExpression);
  if (ts.isCallExpression(x)) return READERS.has(calleeName(x) ?? '') && ts.isPropertyAccessExpression(x.expression) && isRead(x.expression.expression) && x.arguments.every(isRead);
  return false;
}

/**
 * The same value under its names: a local const is its initializer (`mm` is `f.mm`), casts and
 * parentheses are dropped. Two expressions with one canonical text are one value at the site.
 */
function canonical(checker: ts.TypeChecker, e: ts.Expression, depth = 3): string {
  const x = strip(e);
  if (ts.isIdentifier(x)) {
    const sym = ts.isShorthandPropertyAssignment(x.parent) ? checker.getShorthandAssignmentValueSymbol(x.parent) : checker.getSymbolAtLocation(x);
    const d = sym?.valueDeclaration;
    if (depth > 0 && d && ts.isVariableDeclaration(d) && d.initializer && ts.isVariableDeclarationList(d.parent) && d.parent.flags & ts.NodeFlags.Const) return canonical(checker, d.initializer, depth - 1);
    return x.text;
  }
  // A record looked up by an id has that id: `k.task(f.next).id` is `f.next`.
  if (ts.isPropertyAccessExpression(x) && x.name.text === 'id' && ts.isCallExpression(x.expression) && READERS.has(calleeName(x.expression) ?? '') && x.expression.arguments.length === 1) {
    return canonical(checker, x.expression.arguments[0], depth);
  }
  if (ts.isPropertyAccessExpression(x)) {
    const obj = strip(x.expression);
    // `next.id` where `const next = k.task(f.next)`: the same.
    if (x.name.text === 'id' && ts.isIdentifier(obj)) {
      const d = checker.getSymbolAtLocation(obj)?.valueDeclaration;
      const init = d && ts.isVariableDeclaration(d) && d.initializer ? strip(d.initializer) : null;
      if (depth > 0 && init && ts.isCallExpression(init) && READERS.has(calleeName(init) ?? '') && init.arguments.length === 1) return canonical(checker, init.arguments[0], depth - 1);
    }
    return `${canonical(checker, x.expression, depth)}.${x.name.text}`;
  }
  if (ts.isElementAccessExpression(x)) return `${canonical(checker, x.expression, depth)}[${canonical(checker, x.argumentExpression, depth)}]`;
  if (ts.isCallExpression(x)) return `${ts.isPropertyAccessExpression(x.expression) ? canonical(checker, x.expression, depth) : x.expression.getText()}(${x.arguments.map((a) => canonical(checker, a, depth)).join(',')})`;
  return x.getText();
}

/** The identifiers an expression reads as variables (not property names). */
function freeIdentifiers(e: ts.Node): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const walk = (n: ts.Node) => {
    if (ts.isIdentifier(n) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) out.push(n);
    if (!ts.isTypeNode(n)) n.forEachChild(walk);
  };
  walk(e);
  return out;
}

/** Whether a variable declared at `d` is visible and initialized at `at`: a parameter or local of a function around `at`, declared before it. */
function visibleAt(d: ts.Declaration, at: ts.Node, outer: ts.Node): boolean {
  if (d.getSourceFile() !== at.getSourceFile() || d.pos < outer.pos || d.end > outer.end) return false;
  if (ts.isParameter(d)) return isAncestor(d.parent, at);
  if (!ts.isVariableDeclaration(d) && !ts.isBindingElement(d)) return false;
  if (d.end > at.getStart()) return false;
  // Its scope: the block (or loop, or function body) the declaration list sits in.
  let scope: ts.Node = d;
  while (scope.parent && !ts.isBlock(scope) && !ts.isCaseClause(scope) && !ts.isDefaultClause(scope) && !ts.isForOfStatement(scope) && !ts.isForStatement(scope) && !ts.isForInStatement(scope) && !ts.isFunctionLike(scope)) scope = scope.parent;
  if (ts.isCaseClause(scope) || ts.isDefaultClause(scope)) scope = scope.parent; // a case's `const` is the whole switch's
  return isAncestor(scope, at);
}
function isAncestor(a: ts.Node, n: ts.Node): boolean {
  for (let p: ts.Node | undefined = n; p; p = p.parent) if (p === a) return true;
  return false;
}

interface Candidate {
  text: string;
  canon: string;
  kind: Kind;
  /** Where it occurs in the function (for the distance to a site). */
  at: number[];
  /** The variables it reads (their declarations must be visible at the site). */
  reads: ts.Declaration[];
  /** For a field of the path's frame (`f.oldMm`, a kernel local): where the function assigns it. */
  frameWrites: number[];
}

/** Every expression of a kind the function reads: parameters, locals, field reads. */
function candidatesOf(checker: ts.TypeChecker, fn: ts.FunctionLikeDeclaration): Candidate[] {
  const byText = new Map<string, Candidate>();
  const add = (e: ts.Expression, at: number) => {
    if (!isRead(e)) return;
    const kind = kindOf(checker, e);
    if (!kind) return;
    const x = strip(e);
    if (ts.isIdentifier(x)) {
      const d = checker.getSymbolAtLocation(x)?.valueDeclaration;
      if (!d || !(ts.isParameter(d) || ts.isVariableDeclaration(d) || ts.isBindingElement(d))) return;
    }
    const text = oneLine(x.getText(), 200);
    const old = byText.get(text);
    if (old) {
      old.at.push(at);
      // The least nullable of its reads: a value the function uses as an mm somewhere is one.
      old.kind = { name: old.kind.name, extras: old.kind.extras.filter((x) => kind.extras.includes(x)) };
      return;
    }
    const reads: ts.Declaration[] = [];
    for (const id of freeIdentifiers(strip(e))) {
      const d = checker.getSymbolAtLocation(id)?.valueDeclaration;
      if (!d) return;
      reads.push(d);
    }
    byText.set(text, { text, canon: canonical(checker, e), kind, at: [at], reads, frameWrites: [] });
  };
  for (const p of fn.parameters) if (ts.isIdentifier(p.name)) add(p.name, p.name.getStart());
  const walk = (n: ts.Node) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name)) add(n.name, n.name.getStart());
    else if (ts.isParameter(n) && ts.isIdentifier(n.name)) add(n.name, n.name.getStart());
    // A read only an invariant or the trace makes is not one the kernel makes.
    else if ((ts.isPropertyAccessExpression(n) || ts.isIdentifier(n)) && !written(n) && !isCallee(n) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) && !inPlumbing(n)) add(castOf(n), n.getStart());
    if (!ts.isTypeNode(n)) n.forEachChild(walk);
  };
  if (fn.body) walk(fn.body);
  // A frame field is a kernel local: before the function first assigns it, it holds nothing yet.
  const writes = (n: ts.Node) => {
    if (ts.isPropertyAccessExpression(n) && written(n) && isFrame(checker, n.expression)) byText.get(oneLine(n.getText(), 200))?.frameWrites.push(n.getStart());
    n.forEachChild(writes);
  };
  if (fn.body) writes(fn.body);
  return [...byText.values()];
}
const isFrame = (checker: ts.TypeChecker, e: ts.Expression) => checker.getTypeAtLocation(e).getSymbol()?.getName() === 'Frame';
/** A read with the cast the function puts on it (`f.mm as MmId | null`: the function uses it so). */
function castOf(n: ts.Expression): ts.Expression {
  let e: ts.Expression = n;
  while (ts.isParenthesizedExpression(e.parent) || ts.isAsExpression(e.parent) || ts.isNonNullExpression(e.parent)) e = e.parent;
  return e;
}
const written = (n: ts.Node) => ts.isBinaryExpression(n.parent) && n.parent.left === n && n.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
const isCallee = (n: ts.Node) => ts.isCallExpression(n.parent) && n.parent.expression === n;

/** The `a === b` conjuncts of a condition (`x && a === b`), or the `a !== b` disjuncts of its negation. */
function equalities(cond: ts.Expression, holds: boolean): [ts.Expression, ts.Expression][] {
  const c = ts.isParenthesizedExpression(cond) ? cond.expression : cond;
  if (ts.isPrefixUnaryExpression(c) && c.operator === ts.SyntaxKind.ExclamationToken) return equalities(c.operand, !holds);
  if (!ts.isBinaryExpression(c)) return [];
  const op = c.operatorToken.kind;
  if (op === (holds ? ts.SyntaxKind.AmpersandAmpersandToken : ts.SyntaxKind.BarBarToken)) return [...equalities(c.left, holds), ...equalities(c.right, holds)];
  if (op === (holds ? ts.SyntaxKind.EqualsEqualsEqualsToken : ts.SyntaxKind.ExclamationEqualsEqualsToken)) return [[c.left, c.right]];
  return [];
}
const exits = (s: ts.Statement) => ts.isReturnStatement(s) || ts.isThrowStatement(s) || (ts.isBlock(s) && s.statements.some((x) => ts.isReturnStatement(x) || ts.isThrowStatement(x)));

/**
 * The values known equal at `e` by a test that dominates it: `if (a === b) { ...e... }`,
 * `if (a !== b) ... else { ...e... }`, `if (a !== b) return; ...e...`, `a === b ? e : ...`. Inside
 * `if (prev === next)` giving `prev` for `next` changes nothing: no site.
 */
function knownEqual(checker: ts.TypeChecker, e: ts.Node): Set<string> {
  const out = new Set<string>();
  const add = (pairs: [ts.Expression, ts.Expression][]) => {
    for (const [a, b] of pairs) {
      const x = canonical(checker, a);
      const y = canonical(checker, b);
      out.add(`${x}\0${y}`).add(`${y}\0${x}`);
    }
  };
  for (let n: ts.Node = e; n.parent && !ts.isSourceFile(n.parent); n = n.parent) {
    const p = n.parent;
    if (ts.isIfStatement(p) && n === p.thenStatement) add(equalities(p.expression, true));
    if (ts.isIfStatement(p) && n === p.elseStatement) add(equalities(p.expression, false));
    if (ts.isConditionalExpression(p) && n === p.whenTrue) add(equalities(p.condition, true));
    if (ts.isConditionalExpression(p) && n === p.whenFalse) add(equalities(p.condition, false));
    if ((ts.isBlock(p) || ts.isCaseClause(p) || ts.isDefaultClause(p)) && ts.isStatement(n)) {
      for (const s of p.statements.slice(0, p.statements.indexOf(n))) if (ts.isIfStatement(s) && !s.elseStatement && exits(s.thenStatement)) add(equalities(s.expression, false));
    }
  }
  return out;
}

/** The sites of one call argument or stored value `e` of kind `kind`, and their replacements. */
function replacementsAt(checker: ts.TypeChecker, e: ts.Expression, kind: Kind, cands: readonly Candidate[], outer: ts.Node, not: readonly string[]): Candidate[] {
  if (!isRead(e) || inPlumbing(e)) return [];
  const self = [canonical(checker, e), ...not];
  const equal = knownEqual(checker, e);
  const at = e.getStart();
  const initialized = (c: Candidate) => c.frameWrites.length === 0 || c.frameWrites.some((w) => w < at);
  const fitting = cands.filter((c) => initialized(c) && !self.includes(c.canon) && !self.some((x) => equal.has(`${x}\0${c.canon}`)) && fits(c.kind, kind) && c.reads.every((d) => visibleAt(d, e, outer)) && !c.reads.some((d) => isAncestor(d, e)));
  const distance = (c: Candidate) => Math.min(...c.at.map((p) => Math.abs(p - at)));
  // One per value: two names of one value (`mm`, `f.mm`) are one replacement, the nearer.
  const seen = new Set<string>();
  return fitting
    .sort((a, b) => distance(a) - distance(b) || a.text.localeCompare(b.text))
    .filter((c) => !seen.has(c.canon) && seen.add(c.canon))
    .slice(0, MAX_REPLACEMENTS);
}

/**
 * The CPU the code runs on, handed to a callee's `cpu` parameter (the engine's convention for the
 * executing CPU: `k.mb(cpu, ...)`, `mmdrop(k, cpu, ...)`; `from`, the sender of an IPI), or to an
 * IPI's `from` field: the function's own `cpu` parameter. In
 * the kernel it is implicit (smp_processor_id(), this_cpu_*()), not an argument a patch can get
 * wrong, so it is no site. A CPU the code names (`target`, `c.id`, `ipi.from`) is one.
 */
function executingCpu(checker: ts.TypeChecker, a: ts.Expression, param: string): boolean {
  const x = strip(a);
  if (!EXECUTING.has(param) || !ts.isIdentifier(x) || x.text !== 'cpu') return false;
  const d = checker.getSymbolAtLocation(x)?.valueDeclaration;
  return d !== undefined && ts.isParameter(d);
}

const EXECUTING = new Set(['cpu', 'from']);

const tagOf = (text: string) => text.replace(/[^\w.]+/g, '_').replace(/^_+|_+$/g, '');

/** Every swap-arg site of an engine file, with its replacements (ids are made by ./enumerate.ts). */
export function argumentSites(engineDir: string, files: readonly string[], file: string, text: string): ArgSite[] {
  const { checker, sf } = typedFile(engineDir, files, file, text);
  const out: ArgSite[] = [];
  const candMemo = new Map<ts.Node, Candidate[]>();
  const candidates = (outer: ts.FunctionLikeDeclaration) => {
    let c = candMemo.get(outer);
    if (!c) candMemo.set(outer, (c = candidatesOf(checker, outer)));
    return c;
  };
  const push = (e: ts.Expression, kind: Kind, edit: (r: string) => Edit[], what: (orig: string, r: string) => string, not: string[] = []) => {
    const outer = outerFunction(e);
    if (!outer) return;
    for (const c of replacementsAt(checker, e, kind, candidates(outer), outer, not)) {
      out.push({ node: e, replacement: c.text, tag: tagOf(c.text), what: what(oneLine(e.getText(), 50), c.text), edits: edit(c.text) });
    }
  };
  const walk = (n: ts.Node) => {
    if (ts.isCallExpression(n) && !PLUMBING.has(calleeName(n) ?? '')) {
      const name = calleeName(n) ?? '(call)';
      n.arguments.forEach((a, i) => {
        const p = parameterKind(checker, n, i);
        if (!p) return;
        const own = kindOf(checker, a);
        if (!own || !fits(own, p.kind) || executingCpu(checker, a, p.param)) return;
        push(a, p.kind, (r) => [{ start: a.getStart(), end: a.end, text: r }], (orig, r) => `${name}(${p.param}: ${r}) instead of ${name}(${p.param}: ${orig})`);
      });
    } else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left)) {
      const kind = kindOf(checker, n.left);
      const own = kind && kindOf(checker, n.right);
      const lhs = oneLine(n.left.getText(), 40);
      // Storing the field's own value back is drop-store's mutant, not a wrong variable.
      const not = [canonical(checker, n.left)];
      if (kind && own && fits(own, kind)) push(n.right, kind, (r) => [{ start: n.right.getStart(), end: n.right.end, text: r }], (orig, r) => `${lhs} = ${r} instead of ${lhs} = ${orig}`, not);
    } else if ((ts.isPropertyAssignment(n) || ts.isShorthandPropertyAssignment(n)) && ts.isObjectLiteralExpression(n.parent)) {
      const prop = checker.getContextualType(n.parent)?.getNonNullableType().getProperty(n.name.getText());
      const d = prop?.valueDeclaration;
      const value = ts.isPropertyAssignment(n) ? n.initializer : n.name;
      const sig = d && (ts.isPropertySignature(d) || ts.isPropertyDeclaration(d)) ? d : null;
      const valueKind = sig ? kindOf(checker, value) : null;
      // A field declared with the kind, or (an engine interface) with its primitive: `currMm: string | null`.
      const kind = sig && (declaredKind(checker, sig) ?? (valueKind && sig.getSourceFile().fileName.includes('/engine/') ? primitiveSlot(sig.type, valueKind, sig.questionToken !== undefined) : null));
      const own = kind && valueKind;
      const key = n.name.getText();
      if (kind && own && fits(own, kind) && !executingCpu(checker, value, key)) {
        const edit = (r: string): Edit[] => (ts.isPropertyAssignment(n) ? [{ start: value.getStart(), end: value.end, text: r }] : [{ start: n.getStart(), end: n.end, text: `${key}: ${r}` }]);
        push(value, kind, edit, (orig, r) => `{ ${key}: ${r} } instead of { ${key}: ${orig} }`);
      }
    }
    n.forEachChild(walk);
  };
  walk(sf);
  return out;
}

/** The swap-arg finder of ./operators.ts: one mutant per (site, replacement), tagged by the replacement. */
export function swapArg(c: FileCtx): RawSite[] {
  const stored = cachedSites(ENGINE_DIR, c.file, c.text, () =>
    argumentSites(ENGINE_DIR, mutableFiles(), c.file, c.text).map((s) => ({ start: s.node.getStart(), end: s.node.end, tag: s.tag, what: s.what, edits: s.edits })),
  );
  return stored.map((s) => {
    // The replaced expression in this parse: the outermost node of its span.
    const expr = c.nodes.find((n) => n.getStart(c.sf) === s.start && n.end === s.end && !(n.parent && n.parent.getStart(c.sf) === s.start && n.parent.end === s.end));
    if (!expr) throw new Error(`mutants: swap-arg site ${c.file}:${s.start} not found again (stale cache?)`);
    const call = ts.isCallExpression(expr.parent) ? expr.parent : null;
    const kfn = call ? kfnOf(c, call) : null;
    const name = call ? calleeName(call) : null;
    // Named by its statement (a site in `const next = k.task(...)` is in the function, not in `next`).
    const node = enclosingStatement(expr) ?? expr;
    return {
      operator: 'swap-arg' as const,
      node,
      tag: s.tag,
      description: `${where(c, node)}: ${s.what}${kfn && kfn !== name ? ` (${kfn}())` : ''}`,
      edits: s.edits,
    };
  });
}
