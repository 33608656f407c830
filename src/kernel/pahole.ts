/**
 * Struct member offsets from `pahole -F btf -C STRUCT vmlinux` output (the kernel's own BTF), so no
 * offset is written down per kernel. pahole prints members of nested and anonymous structs with
 * offsets from the start of the outermost struct (`/*  OFFSET  SIZE *\/`).
 */

/** Offsets of every member name in one struct's pahole listing (the first occurrence wins). */
export function parsePahole(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    // "	struct mm_struct *         mm;                   /*  2272     8 */"
    // "	long unsigned int          cpu_bitmap[];         /*  1096     0 */"
    const m = /([A-Za-z_][A-Za-z0-9_]*)(\[[0-9]*\])?(:[0-9]+)?;\s*\/\*\s*(\d+)(:\d+)?\s+\d+\s*\*\//.exec(line);
    if (!m) continue;
    if (!out.has(m[1])) out.set(m[1], Number(m[4]));
  }
  return out;
}

/** Sizes: of every member (the first occurrence), and of the struct itself under the key "". */
export function parsePaholeSizes(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /([A-Za-z_][A-Za-z0-9_]*)(\[[0-9]*\])?(:[0-9]+)?;\s*\/\*\s*\d+(:\d+)?\s+(\d+)\s*\*\//.exec(line);
    if (m && !out.has(m[1])) out.set(m[1], Number(m[5]));
    const size = /\/\*\s*size:\s*(\d+),/.exec(line);
    if (size && !out.has('')) out.set('', Number(size[1]));
  }
  return out;
}
