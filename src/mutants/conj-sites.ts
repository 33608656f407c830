/**
 * force-conj (issue 11): one operand of a compound kernel decision `a && b` / `a || b` is forced
 * true or false -- a patch that forgets one conjunct (`if (p->mm == mm)` without its
 * `!(p->flags & PF_KTHREAD)` guard), forgets one alternative, or adds a short-circuit. force-cond
 * (./operators.ts) forces the whole condition; this operator forces one operand of it.
 *
 * The decisions are those of ./conditions.ts (kernel state, not harness invariants, trace plumbing,
 * step dispatch or the caller's request), with one widening: a condition that mixes configuration
 * and kernel state (`split && !loaded`) is kept, and only its kernel-state operands are sites; a
 * condition naming a named variant's switch (`k.bug.*`) is not (that code runs only in the variant).
 * An operand is a leaf of the condition's `&&`/`||` tree (parentheses looked through; `!(a && b)`
 * is one leaf). Not a site: an operand that reads configuration, `f.pc`, or is the caller's request
 * (`via === 'iret'`); a forcing that makes the whole condition constant (`a` false in `a && b`: that
 * is force-cond's mutant of the whole condition); a second forcing of one group (`c` true in
 * `a && (b || c)` is `b` true: the group `b || c` true), made once, at the group's first operand.
 */
import { enclosingStatement, oneLine, ts } from './ast';
import { callerDispatch, decisionConditions, mentionsPc, readsConfig } from './conditions';
import type { FileCtx, RawSite } from './operators';

type Junction = '&&' | '||';

/** A leaf operand of a condition and the `&&`/`||` operators above it, innermost first. */
export interface Operand {
  leaf: ts.Expression;
  chain: Junction[];
  /** The largest subtree of the leaf's own operator that holds it (`b || c` in `a && (b || c)`). */
  group: ts.Expression | null;
}

function junction(e: ts.Expression): Junction | null {
  if (!ts.isBinaryExpression(e)) return null;
  if (e.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return '&&';
  if (e.operatorToken.kind === ts.SyntaxKind.BarBarToken) return '||';
  return null;
}
const unparen = (e: ts.Expression): ts.Expression => (ts.isParenthesizedExpression(e) ? unparen(e.expression) : e);

/** The leaf operands of a condition, in source order; none when it is not compound. */
export function operands(cond: ts.Expression): Operand[] {
  const out: Operand[] = [];
  const walk = (e: ts.Expression, chain: Junction[], group: ts.Expression | null) => {
    const x = unparen(e);
    const j = junction(x);
    if (j && ts.isBinaryExpression(x)) {
      const g = chain[0] === j ? group : x;
      walk(x.left, [j, ...chain], g);
      walk(x.right, [j, ...chain], g);
    } else out.push({ leaf: x, chain, group });
  };
  walk(cond, [], null);
  return out.length > 1 ? out : [];
}

/** Whether `value` absorbs the leaf's own operator (true in `||`, false in `&&`): the leaf's group gets that value. */
const absorbs = (o: Operand, value: boolean): boolean => (value ? o.chain[0] === '||' : o.chain[0] === '&&');
/** Forcing the leaf to `value` makes the whole condition constant: every operator above absorbs it. */
export const wholeConstant = (o: Operand, value: boolean): boolean => o.chain.every((j) => (value ? j === '||' : j === '&&'));

function what(o: Operand, value: boolean): string {
  const j = o.chain[0];
  if (j === '&&') return value ? 'the conjunct is forgotten' : 'the conjunct always fails';
  return value ? 'a short-circuit always taken' : 'the alternative is forgotten';
}

export function forceConj(c: FileCtx, where: (n: ts.Node) => string): RawSite[] {
  const out: RawSite[] = [];
  for (const cond of decisionConditions(c.nodes, c.configFns, { configOperands: true })) {
    const condText = oneLine(cond.getText(c.sf), 70);
    const kind = ts.isIfStatement(cond.parent) ? 'if' : '?:';
    // Named by its statement, as force-cond names it: a `? :` in `const x = ...` is in the function, not in a function `x`.
    const at = ts.isIfStatement(cond.parent) ? cond : (enclosingStatement(cond) ?? cond);
    // A value that absorbs the leaf's operator forces its whole group: every leaf of the group gives
    // the same mutant (`b` or `c` true in `a && (b || c)`), so only the group's first leaf makes it.
    const forced = new Set<string>();
    for (const o of operands(cond)) {
      if (readsConfig(o.leaf, c.configFns) || mentionsPc(o.leaf) || callerDispatch(o.leaf)) continue;
      const text = o.leaf.getText(c.sf);
      for (const value of [true, false]) {
        if (wholeConstant(o, value)) continue;
        if (absorbs(o, value)) {
          const key = `${o.group?.pos}:${value}`;
          if (forced.has(key)) continue;
          forced.add(key);
        }
        out.push({
          operator: 'force-conj',
          node: at === cond ? o.leaf : at,
          tag: String(value),
          description: `${where(at)}: in ${kind} (${condText}), "${oneLine(text, 50)}" is always ${value} (${what(o, value)})`,
          // Still evaluated, in its place: a call in it keeps its effects, the short-circuit order is kept.
          edits: [{ start: o.leaf.getStart(c.sf), end: o.leaf.end, text: value ? `((${text}) || true)` : `((${text}) && false)` }],
        });
      }
    }
  }
  return out;
}
