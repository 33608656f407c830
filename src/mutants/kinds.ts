/**
 * What an engine expression denotes, read from the engine's declared types (a TypeScript program
 * and its type checker over src/engine, ./program.ts): an mm, a task or a CPU, as an id (`MmId`,
 * `TaskId`, `CpuId`: aliases of string and number, so the checker's types do not tell them apart
 * and the declared type names do) or as a record (`MmState`, `TaskState`, `CpuState`). The sites
 * and the candidates of swap-arg (./arguments.ts) are matched by kind, never by name.
 */
import { ts } from './ast';

export const KIND_NAMES = ['MmId', 'TaskId', 'CpuId', 'MmState', 'TaskState', 'CpuState'] as const;
export type KindName = (typeof KIND_NAMES)[number];
const NAMES = new Set<string>(KIND_NAMES);

/** A kind and the other values its declared type allows (`null`, `undefined`, `'SWITCHING'`). */
export interface Kind {
  name: KindName;
  extras: string[];
}

/** The kind a type annotation declares: one kind name in a union with only null, undefined or literals. */
export function kindOfTypeNode(t: ts.TypeNode | undefined): Kind | null {
  if (!t) return null;
  if (ts.isParenthesizedTypeNode(t)) return kindOfTypeNode(t.type);
  const members = ts.isUnionTypeNode(t) ? [...t.types] : [t];
  let name: KindName | null = null;
  const extras: string[] = [];
  for (const m of members) {
    if (ts.isTypeReferenceNode(m) && ts.isIdentifier(m.typeName) && NAMES.has(m.typeName.text) && !m.typeArguments) {
      if (name) return null;
      name = m.typeName.text as KindName;
    } else if (ts.isLiteralTypeNode(m) || m.kind === ts.SyntaxKind.UndefinedKeyword) extras.push(m.getText());
    else return null;
  }
  return name ? { name, extras: extras.sort() } : null;
}

/** Whether a value of kind `value` may stand where `site` is expected: the same kind, no other value the site does not allow. */
export function fits(value: Kind, site: Kind): boolean {
  return value.name === site.name && value.extras.every((x) => site.extras.includes(x));
}

const withOptional = (k: Kind | null, optional: boolean): Kind | null =>
  k && optional && !k.extras.includes('undefined') ? { name: k.name, extras: [...k.extras, 'undefined'].sort() } : k;

/**
 * A parameter's declared kind; an unannotated parameter of a contextually typed function (an arch
 * hook's method, an array callback) has the kind of the parameter it implements.
 */
export function parameterDeclKind(checker: ts.TypeChecker, p: ts.ParameterDeclaration): Kind | null {
  const optional = p.questionToken !== undefined || p.initializer !== undefined;
  if (p.type) return withOptional(kindOfTypeNode(p.type), optional);
  const fn = p.parent;
  if (!ts.isFunctionExpression(fn) && !ts.isArrowFunction(fn) && !ts.isMethodDeclaration(fn)) return null;
  const sig = contextualFunctionType(checker, fn)?.getNonNullableType().getCallSignatures()[0];
  const d = sig?.declaration;
  const i = fn.parameters.indexOf(p);
  const implemented = d && !ts.isJSDocSignature(d) ? d.parameters[i] : undefined;
  return withOptional(kindOfTypeNode(implemented?.type), optional) ?? recordKind(checker, p.name);
}

/** The type a function implements: its contextual type, or an object literal method's property type. */
function contextualFunctionType(checker: ts.TypeChecker, fn: ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration): ts.Type | undefined {
  if (!ts.isMethodDeclaration(fn)) return checker.getContextualType(fn);
  if (!ts.isObjectLiteralExpression(fn.parent)) return undefined;
  const prop = checker.getContextualType(fn.parent)?.getNonNullableType().getProperty(fn.name.getText());
  return prop && checker.getTypeOfSymbolAtLocation(prop, fn);
}

/** The kind a declaration declares (a parameter, a variable, a property, a function's return). */
export function declaredKind(checker: ts.TypeChecker, d: ts.Declaration, depth = 3): Kind | null {
  if (ts.isParameter(d)) return parameterDeclKind(checker, d);
  if (ts.isPropertySignature(d) || ts.isPropertyDeclaration(d)) {
    return withOptional(kindOfTypeNode(d.type), d.questionToken !== undefined);
  }
  if (ts.isVariableDeclaration(d)) {
    if (d.type) return kindOfTypeNode(d.type);
    if (d.initializer) return kindOf(checker, d.initializer, depth - 1);
    // `for (const target of f.targets as CpuId[])`: the array's element kind.
    const loop = d.parent.parent;
    if (ts.isForOfStatement(loop)) return kindOfTypeNode(arrayElement(checker, loop.expression)) ?? recordKind(checker, d.name);
    return recordKind(checker, d.name);
  }
  if (ts.isBindingElement(d)) return recordKind(checker, d.name);
  return null;
}

/** The declared element type of an array expression (`f.targets as CpuId[]`, a field declared `CpuId[]`). */
function arrayElement(checker: ts.TypeChecker, e: ts.Expression): ts.TypeNode | undefined {
  let t: ts.TypeNode | undefined;
  if (ts.isParenthesizedExpression(e)) return arrayElement(checker, e.expression);
  if (ts.isAsExpression(e)) t = e.type;
  else if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) {
    const d = checker.getSymbolAtLocation(ts.isIdentifier(e) ? e : e.name)?.valueDeclaration;
    if (d && (ts.isPropertySignature(d) || ts.isParameter(d) || ts.isVariableDeclaration(d))) t = d.type;
  }
  const members = t && ts.isUnionTypeNode(t) ? t.types.filter((m) => !ts.isLiteralTypeNode(m) && m.kind !== ts.SyntaxKind.UndefinedKeyword) : t ? [t] : [];
  return members.length === 1 && ts.isArrayTypeNode(members[0]) ? members[0].elementType : undefined;
}

/** A record kind the checker knows by its interface name (`CpuState` for `for (const c of k.cpus())`). */
function recordKind(checker: ts.TypeChecker, n: ts.Node): Kind | null {
  const type = checker.getTypeAtLocation(n);
  const name = type.getSymbol()?.getName() ?? type.aliasSymbol?.getName();
  return name && NAMES.has(name) && name.endsWith('State') ? { name: name as KindName, extras: [] } : null;
}

/**
 * A declared kind as the control flow at `e` narrows it: `next.mm` inside `if (next.mm)` is not
 * null there (the checker's flow type has no null / undefined / literal member left).
 */
function narrowed(checker: ts.TypeChecker, e: ts.Expression, k: Kind): Kind {
  if (k.extras.length === 0) return k;
  const t = checker.getTypeAtLocation(e);
  const members = t.isUnion() ? t.types : [t];
  const has = (x: string) =>
    members.some((m) =>
      x === 'null' ? (m.flags & ts.TypeFlags.Null) !== 0 : x === 'undefined' ? (m.flags & ts.TypeFlags.Undefined) !== 0 : m.isStringLiteral() && JSON.stringify(m.value) === x.replace(/^'(.*)'$/, '"$1"'),
    );
  return { name: k.name, extras: k.extras.filter(has) };
}

/**
 * The kind of an expression: a cast's (`f.mm as MmId`), a parameter's or property's declared type,
 * a local's declared type or its initializer's kind, a call's declared return type, a record's
 * interface; null when the declarations do not say (a number that is not declared a CpuId is none).
 */
export function kindOf(checker: ts.TypeChecker, e: ts.Expression, depth = 3): Kind | null {
  if (depth < 0) return null;
  if (ts.isParenthesizedExpression(e)) return kindOf(checker, e.expression, depth);
  if (ts.isAsExpression(e) || ts.isTypeAssertionExpression(e)) return kindOfTypeNode(e.type);
  if (ts.isNonNullExpression(e)) {
    const k = kindOf(checker, e.expression, depth);
    return k && { name: k.name, extras: k.extras.filter((x) => x !== 'null' && x !== 'undefined') };
  }
  if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) {
    const sym = ts.isIdentifier(e) && ts.isShorthandPropertyAssignment(e.parent) ? checker.getShorthandAssignmentValueSymbol(e.parent) : checker.getSymbolAtLocation(ts.isIdentifier(e) ? e : e.name);
    const d = sym?.valueDeclaration ?? sym?.declarations?.[0];
    const k = d ? declaredKind(checker, d, depth) : null;
    return k ? narrowed(checker, e, k) : recordKind(checker, e);
  }
  if (ts.isCallExpression(e)) {
    const d = checker.getResolvedSignature(e)?.declaration;
    if (d && !ts.isJSDocSignature(d) && d.type) return kindOfTypeNode(d.type);
    return recordKind(checker, e);
  }
  if (ts.isElementAccessExpression(e)) return recordKind(checker, e);
  // `f.mm ?? null`
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken && e.right.kind === ts.SyntaxKind.NullKeyword) {
    const k = kindOf(checker, e.left, depth);
    return k && { name: k.name, extras: [...new Set([...k.extras.filter((x) => x !== 'undefined'), 'null'])].sort() };
  }
  return null;
}

/**
 * The kind a call expects for its argument `i`: the callee's declared parameter type (a Kctx,
 * strategy or arch method, or an engine helper); for an engine function whose parameter is the
 * kind's primitive (`syncRunqueuesSelects(currMm: string | null, ...)`), the argument's own kind.
 * Null when it is neither.
 */
export function parameterKind(checker: ts.TypeChecker, call: ts.CallExpression, i: number): { kind: Kind; param: string } | null {
  const sig = checker.getResolvedSignature(call);
  const d = sig?.declaration;
  if (!sig || !d || ts.isJSDocSignature(d)) return null;
  const p = d.parameters[i];
  if (!p || p.dotDotDotToken) return null;
  const arg = call.arguments[i];
  const own = arg && kindOf(checker, arg);
  // Not a helper that turns an id into a string (`taskOwner(task)`: the model's name of a reference's
  // holder, bookkeeping the kernel does not have).
  const decides = (checker.getReturnTypeOfSignature(sig).flags & ts.TypeFlags.StringLike) === 0;
  const kind = parameterDeclKind(checker, p) ?? (own && decides && d.getSourceFile().fileName.includes('/engine/') ? primitiveSlot(p.type, own, p.questionToken !== undefined || p.initializer !== undefined) : null);
  return kind && { kind, param: p.name.getText() };
}

const BASE: Record<KindName, string | null> = { MmId: 'string', TaskId: 'string', CpuId: 'number', MmState: null, TaskState: null, CpuState: null };

/**
 * A slot declared with the kind's underlying primitive (`currMm: string | null`, `target: number`:
 * the pure decision helpers of kernel/membarrier-decisions.ts take plain values) holds a value of
 * kind `value` as that kind, with the slot's own null / undefined; null when it is no such slot.
 */
export function primitiveSlot(t: ts.TypeNode | undefined, value: Kind, optional = false): Kind | null {
  const base = BASE[value.name];
  if (!t || !base) return null;
  const members = ts.isUnionTypeNode(t) ? [...t.types] : [t];
  const extras: string[] = optional ? ['undefined'] : [];
  let found = false;
  for (const m of members) {
    if (m.kind === (base === 'string' ? ts.SyntaxKind.StringKeyword : ts.SyntaxKind.NumberKeyword)) found = true;
    else if ((ts.isLiteralTypeNode(m) && m.literal.kind === ts.SyntaxKind.NullKeyword) || m.kind === ts.SyntaxKind.UndefinedKeyword) extras.push(m.getText());
    else return null;
  }
  return found ? { name: value.name, extras: [...new Set(extras)].sort() } : null;
}
