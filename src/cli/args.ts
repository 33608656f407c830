/**
 * The argv parser of the `lazymm` command: each command declares its flags, and parseArgs splits
 * argv into flag values and positional arguments, rejecting anything undeclared with a UsageError.
 *
 * Accepted forms: `--flag value`, `--flag=value`, `--switch`; `--` ends the flags. A value that
 * starts with `--` is not taken as a value (so `--runs --seed 1` reports the missing runs), but one
 * that starts with a single `-` is (`--seed -42`).
 */
import { UsageError } from './errors';

export type FlagKind = 'switch' | 'value' | 'list';

export interface FlagSpec {
  /** Without the leading dashes: `max-ops`. */
  name: string;
  kind: FlagKind;
  /** Placeholder in the usage text (`N`, `ARCH`). */
  arg?: string;
  help: string;
}

export interface ParsedArgs {
  /** Switches (true when given), values (the last string) and lists (every value, in order). */
  switches: Set<string>;
  values: Map<string, string | undefined>;
  lists: Map<string, string[]>;
  positionals: string[];
}

/** Parse `argv` (the command's arguments, without the command name) against `flags`. */
export function parseArgs(command: string, argv: readonly string[], flags: readonly FlagSpec[], allowPositionals = false): ParsedArgs {
  const out: ParsedArgs = { switches: new Set(), values: new Map(), lists: new Map(), positionals: [] };
  const accepted = () => flags.map((f) => `--${f.name}`).join(', ') || 'none';
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (onlyPositionals || !token.startsWith('-') || token === '-' || /^-\d/.test(token)) {
      if (!allowPositionals) throw new UsageError(`${command}: unexpected argument ${JSON.stringify(token)} (${command} takes flags only: ${accepted()})`);
      out.positionals.push(token);
      continue;
    }
    if (token === '--') {
      onlyPositionals = true;
      continue;
    }
    const eq = token.indexOf('=');
    const name = (eq >= 0 ? token.slice(0, eq) : token).replace(/^--?/, '');
    const spec = flags.find((f) => f.name === name);
    if (!spec) throw new UsageError(`${command}: unknown flag ${eq >= 0 ? token.slice(0, eq) : token} (accepted: ${accepted()})`);
    if (spec.kind === 'switch') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value (got ${JSON.stringify(token.slice(eq + 1))})`);
      out.switches.add(name);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = token.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i];
    if (spec.kind === 'list') {
      if (value === undefined) throw new UsageError(`--${name}: expected ${spec.arg ?? 'a value'}, got nothing`);
      out.lists.set(name, [...(out.lists.get(name) ?? []), value]);
    } else {
      if (out.values.has(name)) throw new UsageError(`--${name} given twice (give it once)`);
      out.values.set(name, value);
    }
  }
  return out;
}

/** The usage lines of `flags`: `  --runs N      random runs (default 200)`. */
export function formatFlags(flags: readonly FlagSpec[]): string[] {
  const left = flags.map((f) => `  --${f.name}${f.arg ? ` ${f.arg}` : ''}${f.kind === 'list' ? ' ...' : ''}`);
  const width = Math.max(0, ...left.map((l) => l.length)) + 2;
  return flags.map((f, i) => `${left[i].padEnd(width)}${f.help}`);
}
