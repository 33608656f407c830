/**
 * A fingerprint of the code an exploration result depends on: the engine, the properties and the
 * explorer (every non-test .ts file under src/engine, properties and src/explore, names and
 * contents). A cached or recorded result is valid only under the same fingerprint: after any
 * change there, a minimum or a "clean to depth d" is a claim about other code.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

export function codeFingerprint(root = ROOT): string {
  const h = createHash('sha1');
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) h.update(p.slice(root.length)).update(fs.readFileSync(p));
    }
  };
  for (const d of ['src/engine', 'properties', 'src/explore']) walk(path.join(root, d));
  return h.digest('hex').slice(0, 16);
}
