/**
 * Where `lazymm/<entry>` resolves in this example: to the BUILT package (../../dist), through the
 * `exports` map of lazymm's package.json, exactly as an installed copy would resolve. Used by
 * jest.config.js (moduleNameMapper); tsconfig.json maps the same entries to the .d.ts files.
 */
const path = require('node:path');
const root = path.resolve(__dirname, '..', '..');
const { exports: entries } = require(path.join(root, 'package.json'));

/** `{ '^lazymm/properties$': '/abs/dist/properties/index.js', ... }` */
function moduleNameMapper() {
  const map = {};
  for (const [key, target] of Object.entries(entries)) {
    if (key === '.' || !key.startsWith('./') || typeof target === 'string') continue;
    map[`^lazymm/${key.slice(2)}$`] = path.join(root, target.default);
  }
  return map;
}

module.exports = { root, moduleNameMapper };
