/**
 * drop-wait (issue 11): a path that sends IPIs and waits for them stops waiting -- the IPIs are
 * still sent and run later, but the sender goes on (a patch passing wait=false to
 * smp_call_function_many() / on_each_cpu_mask(), or returning before csd_lock_wait()).
 *
 * In the engine the wait is a frame's `waitIpis` list: the frame's next step is enabled only once
 * every IPI in it was handled (src/engine/enabled.ts, `k.ipisDone(busy.waitIpis)`). A site is each
 * place that makes that list non-empty: `f.waitIpis = <ids>` or `newFrame(..., { waitIpis: <ids> })`
 * (an empty `[]` is the end of a wait, not a site). The mutant still evaluates `<ids>` (so every
 * IPI is sent, in the same order) and waits on nothing: the frame's next step -- the code after
 * the wait -- is enabled at once, while the IPIs stay queued on their targets.
 */
import { calleeName, contains, enclosingFunctionNode, oneLine, ts } from './ast';
import type { FileCtx, RawSite } from './operators';

/** The string literal at argument `i` of a call, or null. */
function literalAt(call: ts.CallExpression, i: number): string | null {
  const a = call.arguments[i];
  return a && (ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a)) ? a.text : null;
}
/** The top-level function or `const f = (...) => ...` named `name` of the file `at` is in: its body. */
function fileFunctionBody(at: ts.Node, name: string): ts.Node | null {
  for (const s of at.getSourceFile().statements) {
    if (ts.isFunctionDeclaration(s) && s.name?.text === name && s.body) return s.body;
    if (!ts.isVariableStatement(s)) continue;
    for (const d of s.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.name.text === name && d.initializer && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))) return d.initializer.body;
    }
  }
  return null;
}
/**
 * The strings an expression can be: a literal, both arms of a `? :`, a local's initializer, or what
 * a helper of the file returns (`const fn = fnOf(cmd)`: 'membarrier_global_expedited' or
 * 'membarrier_private_expedited').
 */
function stringsOf(e: ts.Node, depth = 3): string[] {
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [e.text];
  if (depth === 0) return [];
  if (ts.isParenthesizedExpression(e)) return stringsOf(e.expression, depth);
  if (ts.isConditionalExpression(e)) return [...stringsOf(e.whenTrue, depth), ...stringsOf(e.whenFalse, depth)];
  if (ts.isIdentifier(e)) {
    const init = initializerOf(e, e.text);
    return init ? stringsOf(init, depth - 1) : [];
  }
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression)) {
    const body = fileFunctionBody(e, e.expression.text);
    if (!body) return [];
    if (!ts.isBlock(body)) return stringsOf(body, depth - 1);
    const out: string[] = [];
    const walk = (n: ts.Node) => {
      if (ts.isReturnStatement(n) && n.expression) out.push(...stringsOf(n.expression, depth - 1));
      else if (!ts.isFunctionLike(n)) n.forEachChild(walk);
    };
    walk(body);
    return out;
  }
  return [];
}
/** The kernel function each `k.sendIpi(cpu, fn, ...)` below `n` names (`a()/b()` when it is one of several). */
function sendIpiNames(n: ts.Node): string[] {
  const out: string[] = [];
  const walk = (x: ts.Node) => {
    if (ts.isCallExpression(x) && calleeName(x) === 'sendIpi' && x.arguments[1]) {
      const names = [...new Set(stringsOf(x.arguments[1]))];
      const fn = names.join('()/');
      if (fn && !out.includes(fn)) out.push(fn);
    }
    x.forEachChild(walk);
  };
  walk(n);
  return out;
}
/** Whether a binding name (`ipis`, `{ ipis, gen }`) binds `name`. */
function binds(b: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(b)) return b.text === name;
  return b.elements.some((e) => !ts.isOmittedExpression(e) && binds(e.name, name));
}
/** The initializer of a local of the enclosing function (`const { ipis } = k.arch.exit_mmap_flush(...)`, `const fn = fnOf(cmd)`). */
function initializerOf(at: ts.Node, name: string): ts.Expression | null {
  const fn = enclosingFunctionNode(at);
  if (!fn?.body) return null;
  let found: ts.Expression | null = null;
  const walk = (n: ts.Node) => {
    if (found) return;
    if (ts.isVariableDeclaration(n) && binds(n.name, name) && n.initializer) found = n.initializer;
    else n.forEachChild(walk);
  };
  walk(fn.body);
  return found;
}
function initializerCall(at: ts.Node, name: string): ts.CallExpression | null {
  const init = initializerOf(at, name);
  return init && ts.isCallExpression(init) ? init : null;
}
/** The identifier an expression is rooted at (`r` of `r.ipis`, `f` of `f.sent as number[]`). */
function rootName(e: ts.Expression): string | null {
  let x: ts.Expression = e;
  for (;;) {
    if (ts.isParenthesizedExpression(x) || ts.isAsExpression(x) || ts.isNonNullExpression(x)) x = x.expression;
    else if (ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) x = x.expression;
    else break;
  }
  return ts.isIdentifier(x) ? x.text : null;
}

/**
 * The kernel function whose wait this is: the sender named in the waited expression
 * (`k.sendIpi(cpu, 'smp_text_poke_sync_each_cpu', ...)`), the call the waited list came from
 * (`k.strategy.cleanup_lazy_tlbs()`, `k.arch.exit_mmap_flush()`), the frame's function
 * (`newFrame('flush_tlb_mm_range', ...)`), or the one sender named in the enclosing function.
 */
export function waiterName(waited: ts.Expression, frameCall: ts.CallExpression | null): string | null {
  const inside = sendIpiNames(waited);
  if (inside.length === 1) return inside[0];
  const root = rootName(waited);
  if (root && root !== 'f') {
    const init = initializerCall(waited, root);
    const name = init && calleeName(init);
    if (name) return name;
  }
  if (frameCall) {
    const fn = literalAt(frameCall, 0);
    if (fn) return fn;
  }
  const fn = enclosingFunctionNode(waited);
  const named = fn?.body ? sendIpiNames(fn.body) : [];
  return named.length === 1 ? named[0] : null;
}

const isEmptyArray = (e: ts.Expression) => ts.isArrayLiteralExpression(e) && e.elements.length === 0;

/** The waited expressions of a file: the value of each `X.waitIpis = ...` and `{ waitIpis: ... }`, with the frame call it is in. */
export function waitSites(nodes: readonly ts.Node[]): { waited: ts.Expression; anchor: ts.Node; frameCall: ts.CallExpression | null }[] {
  const out: { waited: ts.Expression; anchor: ts.Node; frameCall: ts.CallExpression | null }[] = [];
  for (const n of nodes) {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left) && n.left.name.text === 'waitIpis') {
      if (!isEmptyArray(n.right)) out.push({ waited: n.right, anchor: n, frameCall: null });
    } else if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && n.name.text === 'waitIpis' && ts.isObjectLiteralExpression(n.parent)) {
      if (isEmptyArray(n.initializer)) continue;
      const call = n.parent.parent;
      out.push({ waited: n.initializer, anchor: n, frameCall: ts.isCallExpression(call) && calleeName(call) === 'newFrame' ? call : null });
    }
  }
  return out;
}

export function dropWait(c: FileCtx, where: (n: ts.Node) => string): RawSite[] {
  return waitSites(c.nodes).map(({ waited, anchor, frameCall }) => {
    const text = waited.getText(c.sf);
    const who = waiterName(waited, frameCall);
    const sends = contains(waited, (x) => ts.isCallExpression(x) && calleeName(x) === 'sendIpi') ? 'sends its IPIs' : `sends the IPIs of ${oneLine(text, 40)}`;
    return {
      operator: 'drop-wait' as const,
      node: anchor,
      description: `${who ? `${who}() ` : ''}no longer waits for its IPIs in ${where(anchor)}: it ${sends} and goes on before they ran (wait=false, no csd_lock_wait())`,
      // `void (ids)` keeps every send of the waited expression; the wait list is empty.
      edits: [{ start: waited.getStart(c.sf), end: waited.end, text: `(void (${text}), [])` }],
    };
  });
}
