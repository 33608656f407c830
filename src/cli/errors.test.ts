import {
  describeCliError, parseChoice, parseIntInRange, parseNonNegativeInt, parsePositiveInt, parseSeed, UsageError, USAGE_EXIT,
} from './errors';

/** The UsageError message thrown by `fn`. */
function usageErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as UsageError).message;
  }
  throw new Error('expected a UsageError');
}

describe('UsageError', () => {
  it('exits 2 and prints one line without a stack', () => {
    const err = new UsageError('--runs: expected a positive integer\n  (1, 2, 3, ...)');
    expect(err.exitCode).toBe(USAGE_EXIT);
    expect(USAGE_EXIT).toBe(2);
    expect(err.message).toBe('--runs: expected a positive integer (1, 2, 3, ...)');
    expect(describeCliError(err)).toEqual({ exitCode: 2, text: 'lazymm: --runs: expected a positive integer (1, 2, 3, ...)' });
  });

  it('leaves other errors with exit 1 and their stack', () => {
    const err = new Error('boom');
    expect(describeCliError(err)).toEqual({ exitCode: 1, text: err.stack });
    expect(describeCliError('odd')).toEqual({ exitCode: 1, text: 'lazymm: odd' });
  });
});

describe('number flags', () => {
  it('parses what they accept', () => {
    expect(parsePositiveInt('--runs', '10')).toBe(10);
    expect(parseNonNegativeInt('--max-shrinks', '0')).toBe(0);
    expect(parseIntInRange('--cpus', '8', 1, 8)).toBe(8);
    expect(parseSeed('--seed', '-42')).toBe(-42);
    expect(parseSeed('--seed', '2147483647')).toBe(2147483647);
  });

  it.each([
    ['0', '--runs: expected a positive integer (1, 2, 3, ...), got "0"'],
    ['-3', '--runs: expected a positive integer (1, 2, 3, ...), got "-3"'],
    ['ten', '--runs: expected a positive integer (1, 2, 3, ...), got "ten"'],
    ['1e3', '--runs: expected a positive integer (1, 2, 3, ...), got "1e3"'],
    ['1.5', '--runs: expected a positive integer (1, 2, 3, ...), got "1.5"'],
    [' 1', '--runs: expected a positive integer (1, 2, 3, ...), got " 1"'],
    ['', '--runs: expected a positive integer (1, 2, 3, ...), got ""'],
    [undefined, '--runs: expected a positive integer (1, 2, 3, ...), got nothing'],
    ['99999999999999999999', '--runs: expected a positive integer (1, 2, 3, ...), got "99999999999999999999" (too large)'],
  ])('--runs %j: names the flag and what is accepted', (value, message) => {
    expect(usageErrorOf(() => parsePositiveInt('--runs', value))).toBe(message);
  });

  it('rejects out-of-range values', () => {
    expect(usageErrorOf(() => parseNonNegativeInt('--max-shrinks', '-1'))).toBe('--max-shrinks: expected a non-negative integer (0, 1, 2, ...), got "-1"');
    expect(usageErrorOf(() => parseIntInRange('--cpus', '9', 1, 8))).toBe('--cpus: expected an integer from 1 to 8, got "9"');
    expect(usageErrorOf(() => parseSeed('--seed', '2147483648'))).toBe('--seed: expected an integer from -2147483648 to 2147483647, got "2147483648"');
  });
});

describe('parseChoice', () => {
  it('accepts a listed value and names the choices otherwise', () => {
    expect(parseChoice('--arch', 'x86', ['x86', 'powerpc', 'arm64'])).toBe('x86');
    expect(usageErrorOf(() => parseChoice('--arch', 'riscv', ['x86', 'powerpc', 'arm64']))).toBe('--arch: expected one of x86, powerpc, arm64, got "riscv"');
  });
});
