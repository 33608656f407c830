/**
 * Engine mutants (issue 11): one-site bug injections derived mechanically from the engine's own
 * sources (src/engine/kernel, arch, strategies), each loaded as a mutated copy of the engine
 * (./loader.ts) and judged differentially against the unmutated engine (./verdict.ts).
 */

/** The mutation operators (./operators.ts says what each one does to its site). */
export const OPERATORS = [
  'drop-mb',
  'drop-serialize',
  'drop-ref',
  'drop-to-move',
  'swap-stores',
  'split-step-irqs-on',
  'drop-cpu',
  'drop-store',
  'force-cond',
  'drop-wait',
  'force-conj',
  'swap-arg',
] as const;
export type Operator = (typeof OPERATORS)[number];

/** A text edit of one source file: replace [start, end) by `text`. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** One mutation site: an operator applied at one place of one engine source file. */
export interface MutantSite {
  /**
   * Stable id: `<file without .ts>:<function>:<operator>:<n>`, n counting the operator's sites in
   * that function in source order (so an edit elsewhere in the file does not renumber it); an
   * operator that makes several mutants of one site adds their tag (`...:force-cond:2:true`).
   */
  id: string;
  /** Path relative to src/engine (e.g. `kernel/sched.ts`). */
  file: string;
  /** The enclosing function of the engine source (`stepContextSwitch`, `x86Arch.return_to_user`...). */
  function: string;
  operator: Operator;
  /** 1-based line of the site in the unmutated file. */
  line: number;
  /** One line, in kernel terms. */
  description: string;
  edits: Edit[];
  /**
   * Which of a site's several mutants this is (force-cond: `true` / `false`; swap-arg: the
   * replacement expression, e.g. `f.oldActive`), the id's last part.
   */
  tag?: string;
}

/** The site a mutant is made at: its id without the tag (force-cond's true and false share one). */
export const siteOf = (s: MutantSite): string => (s.tag === undefined ? s.id : s.id.slice(0, -(s.tag.length + 1)));
