/**
 * Command-line errors. A mistake in how the command was called is a UsageError: exit status 2 and a
 * single line naming the flag and what it accepts (no stack trace: the user did nothing a trace
 * would explain). Anything else is a bug or an environment problem: exit status 1 with the stack.
 */

/** Exit status of a command-line usage mistake (the conventional one, as in getopt tools). */
export const USAGE_EXIT = 2;

/** A mistake in the command line. Its message is one line; `describeCliError` prints it without a stack. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = USAGE_EXIT;

  constructor(message: string) {
    // Newlines would break the one-line contract (and the `lazymm: ...` prefix on each line).
    super(message.replace(/\s*\n\s*/g, ' ').trim());
  }
}

/** What to print on stderr and which status to exit with for an error thrown by a command. */
export function describeCliError(err: unknown): { exitCode: number; text: string } {
  if (err instanceof UsageError) return { exitCode: err.exitCode, text: `lazymm: ${err.message}` };
  if (err instanceof Error) return { exitCode: 1, text: err.stack ?? `${err.name}: ${err.message}` };
  return { exitCode: 1, text: `lazymm: ${String(err)}` };
}

/** The value as given, quoted (`"ten"`), or `nothing` for a flag given without a value. */
const shown = (value: string | undefined): string => (value === undefined ? 'nothing' : JSON.stringify(value));

/** Decimal digits only: `Number()` would also accept "", " 1", "1e3", "0x10" and "1.0". */
function parseInteger(flag: string, value: string | undefined, expected: string): number {
  if (value === undefined || !/^-?\d+$/.test(value)) throw new UsageError(`${flag}: expected ${expected}, got ${shown(value)}`);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new UsageError(`${flag}: expected ${expected}, got ${shown(value)} (too large)`);
  return n;
}

/**
 * Upper bounds of the counting flags: far beyond any useful value, but a typo (an extra digit or
 * ten) is refused at once instead of running for days. `--depth` bounds explore's breadth-first
 * search, whose levels grow exponentially (depth 8 takes a minute).
 */
export const FLAG_MAXIMA: Readonly<Record<string, number>> = {
  '--runs': 10_000_000,
  '--search-runs': 10_000_000,
  '--max-ops': 100_000,
  '--blocks': 100_000,
  '--depth': 200,
  '--max-states': 1_000_000_000,
  '--max-seconds': 7 * 24 * 3600,
  '--max-shrinks': 10_000_000,
};

function checkMaximum(flag: string, value: string | undefined, n: number, expected: string): number {
  const max = FLAG_MAXIMA[flag];
  if (max !== undefined && n > max) throw new UsageError(`${flag}: expected ${expected} up to ${max}, got ${shown(value)}`);
  return n;
}

/** `--runs 10`: a positive integer (1, 2, 3, ...), at most FLAG_MAXIMA[flag]. */
export function parsePositiveInt(flag: string, value: string | undefined): number {
  const expected = 'a positive integer (1, 2, 3, ...)';
  const n = parseInteger(flag, value, expected);
  if (n < 1) throw new UsageError(`${flag}: expected ${expected}, got ${shown(value)}`);
  return checkMaximum(flag, value, n, expected);
}

/** `--max-shrinks 0`: a non-negative integer (0, 1, 2, ...), at most FLAG_MAXIMA[flag]. */
export function parseNonNegativeInt(flag: string, value: string | undefined): number {
  const expected = 'a non-negative integer (0, 1, 2, ...)';
  const n = parseInteger(flag, value, expected);
  if (n < 0) throw new UsageError(`${flag}: expected ${expected}, got ${shown(value)}`);
  return checkMaximum(flag, value, n, expected);
}

/** `--cpus 3` with bounds: an integer from `min` to `max` inclusive. */
export function parseIntInRange(flag: string, value: string | undefined, min: number, max: number): number {
  const expected = `an integer from ${min} to ${max}`;
  const n = parseInteger(flag, value, expected);
  if (n < min || n > max) throw new UsageError(`${flag}: expected ${expected}, got ${shown(value)}`);
  return n;
}

/** `--seed -42`: a fast-check seed, a 32-bit signed integer. */
export function parseSeed(flag: string, value: string | undefined): number {
  return parseIntInRange(flag, value, -0x80000000, 0x7fffffff);
}

/** `--arch x86`: one of `choices`. */
export function parseChoice<const T extends string>(flag: string, value: string | undefined, choices: readonly T[]): T {
  if (value !== undefined && (choices as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag}: expected one of ${choices.join(', ')}, got ${shown(value)}`);
}
