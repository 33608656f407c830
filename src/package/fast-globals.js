#!/usr/bin/env node
/**
 * Builtins read once per module, for code that runs inside a vm context (jest's test environment).
 *
 * jest runs each test file in a vm context, whose global object answers every global name through
 * an interceptor: `Math.imul(...)`, `new Map()` or `JSON.stringify(...)` in a hot loop costs a C++
 * call per lookup. Measured on the explorer (test/explore/explore.test.ts, 2/2/2/1 to depth 5): 2.8
 * CPU s under ts-node, 35 s under jest; 7 s once every module reads its builtins from one module
 * constant. lazymm's own tests get that from test/support/ts-jest-fast-globals.js; a user's suite,
 * which runs the built package under jest, from `npm run build` (`node src/package/fast-globals.js
 * dist`). The declaration is appended to the first line after "use strict", so line numbers in
 * stack traces and source maps are unchanged, and the values are the context's own builtins, so
 * `instanceof`, prototypes and identity stay those of the code's realm.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const BUILTINS = ['Math', 'JSON', 'Object', 'Array', 'Number', 'String', 'Boolean', 'Map', 'Set', 'WeakMap', 'Symbol', 'BigInt', 'Error', 'Uint32Array', 'Int32Array', 'Uint8Array', 'Float64Array'];
const DECLARATION = `const { ${BUILTINS.join(', ')} } = globalThis;`;
const STRICT = /^("use strict";|'use strict';)/;

/**
 * `code` (CommonJS in strict mode, as tsc writes it here) with the declaration after its directive;
 * other code unchanged (without the directive first, the declaration would turn strict mode off).
 */
function withFastGlobals(code) {
  const m = STRICT.exec(code);
  if (!m || code.startsWith(`${m[0]} ${DECLARATION}`)) return code;
  return `${m[0]} ${DECLARATION}${code.slice(m[0].length)}`;
}

/** Rewrites every .js file under `dir` in place (each through a temporary file and a rename). */
function rewriteTree(dir) {
  let n = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) n += rewriteTree(file);
    else if (entry.name.endsWith('.js')) {
      const code = fs.readFileSync(file, 'utf8');
      const out = withFastGlobals(code);
      if (out === code) continue;
      fs.writeFileSync(`${file}.tmp`, out);
      fs.renameSync(`${file}.tmp`, file);
      n++;
    }
  }
  return n;
}

module.exports = { withFastGlobals, rewriteTree, DECLARATION };

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir || !fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    process.stderr.write(`fast-globals: expected a directory of built .js files (got ${JSON.stringify(dir ?? null)})\n`);
    process.exit(2);
  }
  rewriteTree(dir);
}
