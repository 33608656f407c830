/**
 * Properties import nothing from the engines: the import graph of every file under properties/
 * (tests included), followed transitively through relative imports, never reaches src/engine/ (nor
 * the arbitraries, which drive engines). Import statements are read from the sources: `import ...
 * from`, `export ... from`, `import '...'`, `import('...')` and `require('...')`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const PROPERTIES = path.join(ROOT, 'properties');
const FORBIDDEN = [path.join(ROOT, 'src', 'engine') + path.sep, path.join(ROOT, 'arbitraries') + path.sep];

/** Module specifiers a TypeScript source imports (comments stripped first). */
export function importsOf(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  const specs: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[\w*{}\s,$]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) specs.push(m[1]);
  return specs;
}

/** The file a relative specifier resolves to (.ts, .d.ts, .json or index.ts), or null. */
function resolveRelative(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [base, `${base}.ts`, `${base}.d.ts`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  }
  return null;
}

function tsFilesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? tsFilesUnder(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every file reachable from `roots` through relative imports, with the chain that reached it. */
function reachable(roots: string[]): Map<string, string[]> {
  const seen = new Map<string, string[]>(roots.map((r) => [r, [r]]));
  const queue = [...roots];
  while (queue.length) {
    const file = queue.shift()!;
    if (!file.endsWith('.ts')) continue;
    for (const spec of importsOf(fs.readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = resolveRelative(file, spec);
      if (target === null) throw new Error(`${path.relative(ROOT, file)}: cannot resolve import '${spec}'`);
      if (seen.has(target)) continue;
      seen.set(target, [...seen.get(file)!, target]);
      queue.push(target);
    }
  }
  return seen;
}

describe('the import graph of properties/', () => {
  it('reads import statements of every form', () => {
    const src = `import type { A } from '../src/trace/events';\nimport { b,\n c } from "./lib/x";\nexport { d } from './y';\nexport * from './z';\nimport './side';\nconst e = require('./req');\nconst f = import('./dyn');\n// import { no } from './comment';\n/* import { no2 } from './block'; */`;
    expect(importsOf(src).sort()).toEqual(['../src/trace/events', './dyn', './lib/x', './req', './side', './y', './z'].sort());
  });

  it('reaches nothing in src/engine/ or arbitraries/', () => {
    const files = tsFilesUnder(PROPERTIES);
    expect(files.length).toBeGreaterThan(10);
    const graph = reachable(files);
    const bad = [...graph.entries()].filter(([f]) => FORBIDDEN.some((dir) => f.startsWith(dir)));
    expect(bad.map(([, chain]) => chain.map((f) => path.relative(ROOT, f)).join(' -> '))).toEqual([]);
    // What properties do import from outside properties/: the trace format only.
    const outside = [...graph.keys()].filter((f) => !f.startsWith(PROPERTIES + path.sep)).map((f) => path.relative(ROOT, f));
    expect(outside.every((f) => f.startsWith(path.join('src', 'trace') + path.sep))).toBe(true);
  });

  it('imports no package that is not a dependency (no engine through a package name either)', () => {
    const deps = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).dependencies ?? {});
    const external = tsFilesUnder(PROPERTIES)
      .filter((f) => !f.endsWith('.test.ts'))
      .flatMap((f) => importsOf(fs.readFileSync(f, 'utf8')).filter((s) => !s.startsWith('.') && !s.startsWith('node:')).map((s) => `${path.relative(ROOT, f)}: ${s}`));
    expect(external.filter((e) => !deps.some((d) => e.endsWith(`: ${d}`) || e.includes(`: ${d}/`)))).toEqual([]);
  });
});
