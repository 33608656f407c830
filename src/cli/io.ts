/**
 * Where the command writes: injected, so that tests run `main()` in-process and read what it printed.
 */
export interface CliIo {
  /** Writes `text` to standard output as is (callers add the newlines). */
  out(text: string): void;
  /** Writes `text` to standard error as is. */
  err(text: string): void;
  /** Current time in seconds (for section timings); injectable so tests can pin it. */
  now?(): number;
  /** Show progress lines on `err` (default: stdout and stderr are terminals and the output is not --json). */
  progress?: boolean;
}

export const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

/** Writes lines (each followed by a newline). */
export const println = (io: CliIo, ...lines: string[]): void => io.out(lines.map((l) => `${l}\n`).join(''));
export const eprintln = (io: CliIo, ...lines: string[]): void => io.err(lines.map((l) => `${l}\n`).join(''));

export const seconds = (io: CliIo): number => (io.now ? io.now() : performance.now() / 1000);
