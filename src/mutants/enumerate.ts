/**
 * Every mutation site of the engine: each operator of ./operators.ts over every source file of
 * src/engine/kernel, src/engine/arch and src/engine/strategies, numbered per (file, function,
 * operator) in source order.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { enclosingFunction, parse } from './ast';
import { configFunctions } from './conditions';
import { OPERATOR_FINDERS, fileCtx } from './operators';
import { OPERATORS, type Edit, type MutantSite } from './types';

/**
 * src/engine of this checkout: the mutants need the TypeScript sources. Run from the compiled
 * dist/src/mutants (bin/lazymm.js prefers dist/ once it is built), the sources are the checkout's
 * src/engine beside dist/.
 */
export const ENGINE_DIR = [path.resolve(__dirname, '..', 'engine'), path.resolve(__dirname, '..', '..', '..', 'src', 'engine')].find((d) =>
  fs.existsSync(path.join(d, 'kernel', 'sched.ts')),
) ?? path.resolve(__dirname, '..', 'engine');
const MUTATED_DIRS = ['kernel', 'arch', 'strategies'];

/** The engine source files mutants are made from, relative to src/engine, sorted. */
export function mutableFiles(engineDir = ENGINE_DIR): string[] {
  const out: string[] = [];
  for (const d of MUTATED_DIRS) {
    const dir = path.join(engineDir, d);
    if (!fs.existsSync(dir)) throw new Error(`mutants: ${dir} not found (lazymm mutants needs the engine's TypeScript sources: run it from a source checkout)`);
    for (const f of fs.readdirSync(dir).sort()) if (f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts')) out.push(`${d}/${f}`);
  }
  if (out.length === 0) throw new Error(`mutants: no TypeScript sources under ${engineDir} (lazymm mutants needs a source checkout, not the built package)`);
  return out;
}

const configMemo = new Map<string, Set<string>>();
/** The engine's helpers whose result is configuration, over every mutable file (./conditions.ts). */
export function engineConfigFunctions(engineDir = ENGINE_DIR): Set<string> {
  let fns = configMemo.get(engineDir);
  if (!fns) configMemo.set(engineDir, (fns = configFunctions(mutableFiles(engineDir).map((f) => parse(f, fs.readFileSync(path.join(engineDir, f), 'utf8'))))));
  return fns;
}

/** The sites of one file, given its text. */
export function fileSites(file: string, text: string, configFns: ReadonlySet<string> = engineConfigFunctions()): MutantSite[] {
  const sf = parse(file, text);
  const ctx = fileCtx(file, text, sf, configFns);
  const out: MutantSite[] = [];
  const counters = new Map<string, number>();
  // A site with several tagged mutants (force-cond's true / false) is numbered once (per operator:
  // force-conj's first operand starts where force-cond's whole condition does).
  const numbered = new Map<string, number>();
  for (const op of OPERATORS) {
    for (const raw of OPERATOR_FINDERS[op](ctx)) {
      const fn = enclosingFunction(raw.node);
      const key = `${fn}:${op}`;
      // Keyed by where the edit starts: two conditions of one statement are two sites.
      const at = raw.edits[0]?.start ?? -1;
      let n = raw.tag === undefined ? undefined : numbered.get(`${op}@${at}`);
      if (n === undefined) {
        n = counters.get(key) ?? 0;
        counters.set(key, n + 1);
        if (raw.tag !== undefined) numbered.set(`${op}@${at}`, n);
      }
      out.push({
        id: `${file.replace(/\.ts$/, '')}:${fn}:${op}:${n}${raw.tag === undefined ? '' : `:${raw.tag}`}`,
        file,
        function: fn,
        operator: op,
        line: sf.getLineAndCharacterOfPosition(raw.node.getStart(sf)).line + 1,
        description: raw.description,
        edits: raw.edits,
        ...(raw.tag === undefined ? {} : { tag: raw.tag }),
      });
    }
  }
  return out;
}

const memo = new Map<string, MutantSite[]>();

/** Every site, file by file (sorted), operator by operator (computed once per process and directory). */
export function enumerateSites(engineDir = ENGINE_DIR): MutantSite[] {
  let sites = memo.get(engineDir);
  const configFns = engineConfigFunctions(engineDir);
  if (!sites) memo.set(engineDir, (sites = mutableFiles(engineDir).flatMap((f) => fileSites(f, fs.readFileSync(path.join(engineDir, f), 'utf8'), configFns))));
  return [...sites];
}

/** The mutated text of a file: the site's edits applied (they never overlap). */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
