/**
 * A 64-bit hash of plain JSON data computed by walking it, without building its JSON text (3-4x
 * cheaper than JSON.stringify plus a hash of the text, on a ~3 KB kernel state). It covers what
 * JSON.stringify writes: every own enumerable key in order with its value, values tagged by type
 * (null, boolean, number, string, array with its length, object end), so two values with different
 * JSON texts differ in the walk as well, up to hash collisions. Strings (names, keys) are hashed
 * once into two 32-bit lanes and cached. Non-int32 numbers are hashed through their text.
 * `undefined` values are skipped, as JSON.stringify skips them in objects.
 * test/explore/fingerprint.test.ts checks on small searches that no two different JSON texts share
 * a structural hash (ExploreOptions.checkCollisions).
 */

const M1 = 2654435761;
const M2 = 1597334677;
/** string -> its two lanes (interleaved); emptied past a bound so foreign data cannot grow it forever. */
const STRINGS = new Map<string, number[]>();
const STRING_CACHE_LIMIT = 1 << 16;

export function lanes(s: string): number[] {
  let l = STRINGS.get(s);
  if (l === undefined) {
    let a = 0x9e3779b9 ^ s.length;
    let b = 0x85ebca6b ^ s.length;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = Math.imul(a ^ c, M1);
      b = Math.imul(b ^ c, M2);
    }
    a = Math.imul(a ^ (a >>> 16), 2246822507) ^ Math.imul(b ^ (b >>> 13), 3266489909);
    b = Math.imul(b ^ (b >>> 16), 2246822507) ^ Math.imul(a ^ (a >>> 13), 3266489909);
    if (STRINGS.size >= STRING_CACHE_LIMIT) STRINGS.clear();
    STRINGS.set(s, (l = [a | 0, b | 0]));
  }
  return l;
}

let h1 = 0;
let h2 = 0;
const mix = (x: number, y: number): void => {
  h1 = Math.imul(h1 ^ x, M1);
  h2 = Math.imul(h2 ^ y, M2);
};

function walk(v: unknown): void {
  if (v === null) return mix(0x11, 0x11);
  switch (typeof v) {
    case 'number':
      if ((v | 0) === v) return mix(0x22, 0x22), mix(v, v);
      mix(0x23, 0x23);
      return walk(String(v));
    case 'boolean':
      return mix(v ? 0x33 : 0x34, v ? 0x33 : 0x34);
    case 'string': {
      const l = lanes(v);
      return mix(0x44, 0x44), mix(l[0], l[1]);
    }
    case 'object':
      break;
    default:
      return; // undefined, functions: not JSON
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) walk(v[i]);
    return mix(0x55 ^ v.length, 0x55 ^ v.length);
  }
  const o = v as Record<string, unknown>;
  for (const k in o) {
    const x = o[k];
    if (x === undefined) continue;
    const l = lanes(k);
    mix(l[0], l[1]);
    walk(x);
  }
  mix(0x66, 0x66);
}

/** The structural hash of `v` as a short string `h1.h2` (a key part for the visited set). */
export function structuralHash(v: unknown): string {
  h1 = 0x2545f491;
  h2 = 0x6c8e9cf5;
  walk(v);
  return `${h1 >>> 0}.${h2 >>> 0}`;
}

/**
 * The walk above as parts, for a hash composed of cached sub-hashes (./record-hash.ts): start,
 * feed values, keys and 64-bit sub-hashes, read the result. `save()`/`restore()` let a sub-hash be
 * computed in the middle of another.
 */
export const hashStart = (): void => {
  h1 = 0x2545f491;
  h2 = 0x6c8e9cf5;
};
export const hashValue = (v: unknown): void => walk(v);
export const hashMix = (x: number, y: number): void => mix(x, y);
export const hashKey = (k: string): void => {
  const l = lanes(k);
  mix(l[0], l[1]);
};
/** Ends an object (the tag the walk writes after an object's last key). */
export const hashObjectEnd = (): void => mix(0x66, 0x66);
/** Ends an array of `n` elements. */
export const hashArrayEnd = (n: number): void => mix(0x55 ^ n, 0x55 ^ n);
export const hashH1 = (): number => h1;
export const hashH2 = (): number => h2;
export const hashRestore = (a: number, b: number): void => {
  h1 = a;
  h2 = b;
};
