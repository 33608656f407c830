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
  /** Standard input (`check-trace -`); default process.stdin. */
  stdin?: NodeJS.ReadableStream;
  /** Show progress lines on `err` (default: stdout and stderr are terminals and the output is not --json). */
  progress?: boolean;
}

/**
 * A writer to a process stream that stops writing, quietly, once the reader has gone (EPIPE:
 * `lazymm replay fixtures | head`): the command still runs to its end and exits with its real
 * status, without a stack trace.
 */
function pipeWriter(stream: NodeJS.WriteStream): (text: string) => void {
  let broken = false;
  let guarded = false;
  const onError = (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    broken = true;
  };
  return (text) => {
    if (broken) return;
    if (!guarded) {
      guarded = true;
      stream.on('error', onError);
    }
    try {
      stream.write(text);
    } catch (err) {
      onError(err as NodeJS.ErrnoException);
    }
  };
}

export const processIo: CliIo = {
  out: pipeWriter(process.stdout),
  err: pipeWriter(process.stderr),
};

/** Writes lines (each followed by a newline). */
export const println = (io: CliIo, ...lines: string[]): void => io.out(lines.map((l) => `${l}\n`).join(''));
export const eprintln = (io: CliIo, ...lines: string[]): void => io.err(lines.map((l) => `${l}\n`).join(''));

export const seconds = (io: CliIo): number => (io.now ? io.now() : performance.now() / 1000);
