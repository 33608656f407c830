/** Plain-text helpers for the renderers: word wrapping and centring. */

/**
 * Wraps `text` at `width` columns on spaces; existing line breaks are kept. A word longer than the
 * width gets a line of its own rather than being cut (paths and ids must stay greppable).
 */
export function wrap(text: string, width = 100): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    out.push(line);
  }
  return out;
}

/** `text` preceded by enough spaces to centre it in `width` columns (none if it does not fit). */
export const center = (text: string, width: number): string =>
  `${' '.repeat(Math.max(0, Math.floor((width - text.length) / 2)))}${text}`;
