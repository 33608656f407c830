/**
 * The header line that marks a file as written by `lazymm generate-suite`, with the SHA-256 of the
 * rest of the file. Regeneration replaces a file only while its content still matches its hash (the
 * user has not edited it); an edited file keeps the user's version.
 */
import { createHash } from 'node:crypto';

/** Comment syntax of the header: TypeScript/JavaScript or Markdown. */
export type HeaderStyle = 'ts' | 'md';

const MARK = /lazymm-generated sha256:([0-9a-f]{64})/;

/** SHA-256 (hex) of a file body. */
export const hashOf = (body: string): string => createHash('sha256').update(body, 'utf8').digest('hex');

/** The file text: the header line, then `body`. */
export function stamp(body: string, style: HeaderStyle): string {
  const note = `lazymm-generated sha256:${hashOf(body)} (lazymm generate-suite rewrites this file while it is unedited; once you edit it, it is yours)`;
  return `${style === 'md' ? `<!-- ${note} -->` : `// ${note}`}\n${body}`;
}

/** What a file's header says: not generated, generated and unedited, or generated then edited. */
export type StampState = 'not-generated' | 'unedited' | 'edited';

export function stampState(text: string): StampState {
  const nl = text.indexOf('\n');
  const first = nl < 0 ? text : text.slice(0, nl);
  const m = MARK.exec(first);
  if (!m) return 'not-generated';
  return hashOf(nl < 0 ? '' : text.slice(nl + 1)) === m[1] ? 'unedited' : 'edited';
}
