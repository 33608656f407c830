/**
 * Default fast-check seeds. A campaign without `--seed` must give the same result every time it is
 * run on the same engine, so the seed is a hash of the engine id instead of fast-check's clock-based
 * default.
 */

/** A 32-bit signed seed derived from `text` (FNV-1a). */
export function deriveSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}
