/**
 * A one-line progress display on a terminal (no dependency): rewritten in place with `\r`, at most
 * a few times per second, and cleared at the end. Only used when stderr is a TTY and the output is
 * not --json, so logs and pipes stay clean.
 */
export interface ProgressLine {
  update(text: string): void;
  done(): void;
}

/** A progress line that writes to `write` (stderr), or a silent one when `enabled` is false. */
export function progressLine(write: (s: string) => void, enabled: boolean, minIntervalMs = 200): ProgressLine {
  if (!enabled) return { update() {}, done() {} };
  let last = 0;
  let width = 0;
  return {
    update(text: string) {
      const now = Date.now();
      if (now - last < minIntervalMs) return;
      last = now;
      const cols = (process.stderr.columns ?? 100) - 1;
      const line = text.length > cols ? text.slice(0, cols) : text;
      write(`\r${line.padEnd(width)}`);
      width = line.length;
    },
    done() {
      if (width > 0) write(`\r${' '.repeat(width)}\r`);
      width = 0;
    },
  };
}

/** `12.3k`, `4.56M`. */
export function compact(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

/** Whether progress should be shown: stdout and stderr are terminals and the output is not JSON. */
export const progressWanted = (json: boolean): boolean => !json && process.stdout.isTTY === true && process.stderr.isTTY === true;
