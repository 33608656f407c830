/**
 * Reading the engine's TypeScript sources as syntax trees (the TypeScript compiler API, parse only:
 * no type checker): the helpers the operators (./operators.ts) share to find and describe sites.
 */
import * as ts from 'typescript';

export { ts };

export function parse(file: string, text: string): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

/** Every node of `sf`, in source order (pre-order). */
export function allNodes(sf: ts.SourceFile): ts.Node[] {
  const out: ts.Node[] = [];
  const walk = (n: ts.Node) => {
    out.push(n);
    n.forEachChild(walk);
  };
  walk(sf);
  return out;
}

/** The called name of a call: `mb` for `k.mb(...)`, `mmgrab` for `mmgrab(...)`. */
export function calleeName(call: ts.CallExpression): string | null {
  const e = call.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return null;
}

/** The call an expression statement makes (`k.mb(cpu, 'x');`), or null. */
export function statementCall(s: ts.Node): ts.CallExpression | null {
  if (!ts.isExpressionStatement(s)) return null;
  const e = s.expression;
  return ts.isCallExpression(e) ? e : null;
}

/** The first string-literal argument of a call (the engine passes the kernel function name so). */
export function literalArg(call: ts.CallExpression): string | null {
  for (const a of call.arguments) if (ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a)) return a.text;
  return null;
}

/**
 * The name of the engine function a node is in: a function declaration's name, or the variable and
 * the property path of an object-literal method (`x86Arch.return_to_user`, `x86Arch.switch_mm_split.begin`).
 */
export function enclosingFunction(node: ts.Node): string {
  const parts: string[] = [];
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isFunctionDeclaration(n) && n.name) {
      parts.unshift(n.name.text);
      break;
    }
    if ((ts.isMethodDeclaration(n) || ts.isPropertyAssignment(n)) && (ts.isIdentifier(n.name) || ts.isStringLiteral(n.name))) parts.unshift(n.name.text);
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name)) {
      parts.unshift(n.name.text);
      break;
    }
  }
  return parts.join('.') || '(top level)';
}

/** The nearest enclosing function-like node. */
export function enclosingFunctionNode(node: ts.Node): ts.FunctionLikeDeclaration | null {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n)) return n;
  }
  return null;
}

/** Whether a function-like node has parameters with all these names. */
export function hasParams(fn: ts.FunctionLikeDeclaration | null, names: readonly string[]): boolean {
  if (!fn) return false;
  const have = new Set(fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : '')));
  return names.every((n) => have.has(n));
}

/** The statement list a statement sits in (a block, a case clause or the file), or null. */
export function statementList(s: ts.Node): readonly ts.Statement[] | null {
  const p = s.parent;
  if (!p) return null;
  if (ts.isBlock(p) || ts.isSourceFile(p) || ts.isCaseClause(p) || ts.isDefaultClause(p)) return p.statements;
  return null;
}

/** The nearest ancestor that is a statement (the statement an expression belongs to). */
export function enclosingStatement(node: ts.Node): ts.Statement | null {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) if (ts.isStatement(n) && !ts.isBlock(n)) return n as ts.Statement;
  return null;
}

/** Whether `node` contains an identifier named `name` (anywhere below it). */
export function mentions(node: ts.Node, names: ReadonlySet<string>): boolean {
  let found = false;
  const walk = (n: ts.Node) => {
    if (found) return;
    if (ts.isIdentifier(n) && names.has(n.text)) {
      // `x.name` mentions the property, not the variable.
      if (!(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) found = true;
    }
    n.forEachChild(walk);
  };
  walk(node);
  return found;
}

/** The variables a statement declares (`const mm = ...`). */
export function declaredNames(s: ts.Statement): string[] {
  if (!ts.isVariableStatement(s)) return [];
  return s.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
}

/** Whether a node (or a descendant) matches `pred`. */
export function contains(node: ts.Node, pred: (n: ts.Node) => boolean): boolean {
  let found = false;
  const walk = (n: ts.Node) => {
    if (found) return;
    if (pred(n)) found = true;
    else n.forEachChild(walk);
  };
  walk(node);
  return found;
}

/** One line of source text for a description (whitespace collapsed, cut at `max`). */
export function oneLine(text: string, max = 60): string {
  const s = text.replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
