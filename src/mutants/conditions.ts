/**
 * Which conditions of the engine are kernel decisions (the sites of force-cond, ./operators.ts):
 * an `if` or a `? :` whose condition reads kernel state, as opposed to the model's configuration
 * (variant switches `k.bug.*`, knobs `k.knob()`, the arch and strategy chosen: `k.arch.*`,
 * `k.strategy.*`), harness invariants (a branch that throws), trace plumbing (a branch that only
 * emits), step dispatch (`f.pc`) and dispatch on the caller's request (a parameter compared with a
 * string: which entry path or counter). Configuration is recognised through one level of naming too: a
 * local `const split = k.knob(...)`, or a helper whose result is configuration (`transitionMode(k)`:
 * the invlpgb knobs; `spinLock()`: whether the arch's lock is a barrier).
 */
import { calleeName, contains, enclosingFunctionNode, statementCall, ts } from './ast';

/** Properties of the engine context that are configuration, not kernel state. */
const CONFIG_OF_K = new Set(['bug', 'knob', 'arch', 'strategy']);

/** `k.bug`, `k.knob`, `k.arch`, `k.strategy` (the context is always `k` in the engine). */
function isConfigAccess(n: ts.Node): boolean {
  return ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'k' && CONFIG_OF_K.has(n.name.text);
}

/** The initializer of the local `const NAME = ...` visible from `at` (same function or an enclosing one), if any. */
function localInitializer(at: ts.Node, name: string): ts.Expression | null {
  for (let fn = enclosingFunctionNode(at); fn; fn = enclosingFunctionNode(fn)) {
    let found: ts.Expression | null = null;
    const walk = (n: ts.Node) => {
      if (found) return;
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name && n.initializer) found = n.initializer;
      else n.forEachChild(walk);
    };
    if (fn.body) walk(fn.body);
    if (found) return found;
  }
  return null;
}

/**
 * Whether an expression reads configuration: a config access, a call of a config helper, or a
 * local whose initializer does (followed `depth` levels).
 */
export function readsConfig(e: ts.Node, configFns: ReadonlySet<string>, depth = 2): boolean {
  return contains(e, (n) => {
    if (isConfigAccess(n)) return true;
    if (ts.isCallExpression(n) && configFns.has(calleeName(n) ?? '')) return true;
    if (depth > 0 && ts.isIdentifier(n) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) {
      const init = localInitializer(n, n.text);
      if (init && init !== e && readsConfig(init, configFns, depth - 1)) return true;
    }
    return false;
  });
}

/** The named functions of a file and their bodies (declarations and `const f = (...) => ...`). */
function namedFunctions(sf: ts.SourceFile): [string, ts.Node][] {
  const out: [string, ts.Node][] = [];
  const walk = (n: ts.Node) => {
    if (ts.isFunctionDeclaration(n) && n.name && n.body) out.push([n.name.text, n.body]);
    else if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && (ts.isArrowFunction(n.initializer) || ts.isFunctionExpression(n.initializer))) out.push([n.name.text, n.initializer.body]);
    n.forEachChild(walk);
  };
  walk(sf);
  return out;
}
/** The values a function body returns (an arrow's expression body is its value). */
function returned(body: ts.Node): ts.Expression[] {
  if (!ts.isBlock(body)) return [body as ts.Expression];
  const out: ts.Expression[] = [];
  const walk = (n: ts.Node) => {
    if (ts.isReturnStatement(n) && n.expression) out.push(n.expression);
    if (!ts.isFunctionLike(n)) n.forEachChild(walk);
  };
  walk(body);
  return out;
}

/**
 * The helpers whose result is configuration: some value they return reads configuration (a fixpoint
 * over every engine file, so a helper of a helper counts).
 */
export function configFunctions(files: readonly ts.SourceFile[]): Set<string> {
  const fns = files.flatMap(namedFunctions);
  const out = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, body] of fns) {
      if (out.has(name)) continue;
      if (returned(body).some((r) => readsConfig(r, out))) {
        out.add(name);
        changed = true;
      }
    }
  }
  return out;
}

/** A branch that is a harness invariant (throws) or trace plumbing (only `k.emit()` calls), or only moves `f.pc`. */
function plumbingBranch(s: ts.Statement | undefined): boolean {
  if (!s) return false;
  if (contains(s, (n) => ts.isThrowStatement(n) || (ts.isCallExpression(n) && /^(invariant|assert\w*)$/.test(calleeName(n) ?? '')))) return true;
  const list = ts.isBlock(s) ? s.statements : [s];
  if (list.length === 0) return false;
  return list.every((x) => {
    const call = statementCall(x);
    if (call) return calleeName(call) === 'emit';
    return ts.isExpressionStatement(x) && ts.isBinaryExpression(x.expression) && x.expression.left.getText() === 'f.pc';
  });
}

const isLiteralish = (e: ts.Expression) => isStringy(e) || (ts.isIdentifier(e) && e.text === 'undefined');
/**
 * Dispatch on what the caller asked for, not a decision on kernel state: the condition only compares
 * parameters of its function with strings or `undefined` (`via === 'iret'`,
 * `counter === 'mm_users'`, `next !== undefined`): which kernel function or entry path this is.
 */
export function callerDispatch(cond: ts.Expression): boolean {
  const fn = enclosingFunctionNode(cond);
  const params = new Set((fn?.parameters ?? []).flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])));
  const walk = (e: ts.Expression): boolean => {
    if (ts.isParenthesizedExpression(e)) return walk(e.expression);
    if (!ts.isBinaryExpression(e)) return false;
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) return walk(e.left) && walk(e.right);
    if (op !== ts.SyntaxKind.EqualsEqualsEqualsToken && op !== ts.SyntaxKind.ExclamationEqualsEqualsToken) return false;
    const [x, lit] = isLiteralish(e.right) ? [e.left, e.right] : [e.right, e.left];
    if (!isLiteralish(lit)) return false;
    // A bare parameter (`via`, `counter`, `next`): the caller's request. A field of one (`prev.state`,
    // `f.cmd`) is state, a site.
    return ts.isIdentifier(x) && params.has(x.text) && x.text !== 'k';
  };
  return walk(cond);
}

/** Step dispatch: the path's `f.pc`, or the model's frame stack `k.stack` (which paths are in flight, not kernel state). */
export const mentionsPc = (e: ts.Node) => contains(e, (n) => ts.isPropertyAccessExpression(n) && (n.getText() === 'f.pc' || n.getText() === 'k.stack'));
const isStringy = (e: ts.Expression) => ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isTemplateExpression(e);
/** Inside the arguments of a `k.emit(...)` (what the trace says, not what the kernel does). */
function inEmit(n: ts.Node): boolean {
  for (let p = n.parent; p && !ts.isStatement(p); p = p.parent) if (ts.isCallExpression(p) && calleeName(p) === 'emit') return true;
  return false;
}

/**
 * The decision conditions of a file: each `if` condition and each `? :` condition that is a kernel
 * decision. A `? :` choosing between two strings is a name for the trace unless it is returned (a
 * decision helper's verdict, `return users === 1 ? 'short-circuit' : 'scan'`). With
 * `configOperands`, a condition that also reads configuration is kept (force-conj's compound
 * conditions: ./conj-sites.ts skips their configuration operands).
 */
export function decisionConditions(nodes: readonly ts.Node[], configFns: ReadonlySet<string>, opts: { configOperands?: boolean } = {}): ts.Expression[] {
  const out: ts.Expression[] = [];
  for (const n of nodes) {
    let cond: ts.Expression;
    if (ts.isIfStatement(n)) {
      if (plumbingBranch(n.thenStatement) || plumbingBranch(n.elseStatement)) continue;
      cond = n.expression;
    } else if (ts.isConditionalExpression(n)) {
      if (inEmit(n)) continue;
      if (isStringy(n.whenTrue) && isStringy(n.whenFalse) && !ts.isReturnStatement(n.parent)) continue;
      // `f.pc = cond ? 5 : 3`: step dispatch.
      if (ts.isBinaryExpression(n.parent) && n.parent.left.getText() === 'f.pc') continue;
      cond = n.condition;
    } else continue;
    if (cond.kind === ts.SyntaxKind.TrueKeyword || cond.kind === ts.SyntaxKind.FalseKeyword) continue;
    if (mentionsPc(cond) || callerDispatch(cond)) continue;
    // `configOperands` (force-conj): a condition that mixes configuration and kernel state is kept,
    // its configuration operands are no sites; a named variant's switch (`k.bug.*`) still excludes it.
    if (opts.configOperands ? contains(cond, (n) => ts.isPropertyAccessExpression(n) && n.getText() === 'k.bug') : readsConfig(cond, configFns)) continue;
    out.push(cond);
  }
  return out;
}
