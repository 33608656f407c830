/**
 * The `lazymm` command: `main(argv, io)` dispatches to one command per file under ./commands and
 * returns the exit status (0 ok, 1 a counterexample or changed verdict, 2 bad input). Tests call it
 * in-process with an injected io; bin/lazymm.js and `npm start` run it on process.argv.
 */
import { formatFlags, type FlagSpec } from './args';
import { CAMPAIGN_FLAGS, campaignCommand } from './commands/campaign';
import { CHECK_FLAGS, checkCommand } from './commands/check';
import { COMPARE_FLAGS, compareCommand } from './commands/compare';
import { LIST_FLAGS, listCommand } from './commands/list';
import { MERGE_FLAGS, mergeCommand } from './commands/merge';
import { MUTANTS_FLAGS } from './commands/mutants-flags';
import { REPLAY_FLAGS, replayCommand } from './commands/replay';
import { REPORT_FLAGS, reportCommand } from './commands/report';
import { USAGE_EXIT, UsageError, describeCliError } from './errors';
import { eprintln, println, processIo, type CliIo } from './io';
import { lazymmVersion } from '../fixtures/project-dirs';
import { EXPLORE_FLAGS, exploreCommand } from '../explore/command';
import { CHECK_TRACE_FLAGS, CHECK_TRACE_USAGE, checkTraceCommand } from '../trace-io/check-trace-command';
import { GENERATE_SUITE_FLAGS, GENERATE_SUITE_USAGE, generateSuiteCommand } from '../suite/generate-suite-command';
import { KERNEL_FLAGS, KERNEL_USAGE, kernelCommand } from '../kernel/command';

interface Command {
  synopsis: string;
  summary: string;
  flags: readonly FlagSpec[];
  run(argv: readonly string[], io: CliIo): number | Promise<number>;
}

export const COMMANDS: Record<string, Command> = {
  check: { synopsis: 'check [flags]', summary: 'random property check of one engine (exit 0 pass, 1 counterexample)', flags: CHECK_FLAGS, run: checkCommand },
  replay: { synopsis: 'replay FIXTURE|DIR...', summary: 'replay fixtures, print their timelines, check their recorded verdicts', flags: REPLAY_FLAGS, run: replayCommand },
  list: { synopsis: 'list', summary: 'engines, knobs, variants, properties and findings', flags: LIST_FLAGS, run: listCommand },
  campaign: { synopsis: 'campaign [flags]', summary: 'every engine, variant and finding as a results matrix (what `npm start` runs)', flags: CAMPAIGN_FLAGS, run: campaignCommand },
  merge: { synopsis: 'merge FILE...', summary: 'combine the --json results of campaign --shard I/N into the unsharded report', flags: MERGE_FLAGS, run: mergeCommand },
  compare: { synopsis: 'compare [flags]', summary: 'every (arch, strategy) engine on the same workloads: verdicts and costs', flags: COMPARE_FLAGS, run: compareCommand },
  explore: { synopsis: 'explore [flags]', summary: 'every interleaving of a small configuration to a depth, breadth-first (exit 0 clean to the bound, 1 counterexample)', flags: EXPLORE_FLAGS, run: exploreCommand },
  'check-trace': { ...CHECK_TRACE_USAGE, flags: CHECK_TRACE_FLAGS, run: checkTraceCommand },
  'generate-suite': { ...GENERATE_SUITE_USAGE, flags: GENERATE_SUITE_FLAGS, run: generateSuiteCommand },
  mutants: { synopsis: 'mutants --list|--run [flags]', summary: "engine mutants from the engine's own sources: list them, or judge them (mutation score)", flags: MUTANTS_FLAGS, run: (argv, io) => (require('./commands/mutants') as typeof import('./commands/mutants')).mutantsCommand(argv, io) },
  report: { synopsis: 'report FIXTURE|RESULT.json [-o FILE]', summary: 'a counterexample as one self-contained HTML page: swimlanes, state at every step, timeline', flags: REPORT_FLAGS, run: reportCommand },
  kernel: { ...KERNEL_USAGE, flags: KERNEL_FLAGS, run: kernelCommand },
};

export function usage(): string[] {
  const width = Math.max(...Object.values(COMMANDS).map((c) => c.synopsis.length)) + 2;
  return [
    'usage: lazymm COMMAND [flags]',
    '',
    ...Object.values(COMMANDS).map((c) => `  ${c.synopsis.padEnd(width)}${c.summary}`),
    '',
    "`lazymm COMMAND --help` lists a command's flags; `lazymm --version` prints the version. Exit status: 0 ok, 1 a counterexample or a changed verdict, 2 bad input.",
  ];
}

export function commandUsage(name: string): string[] {
  const c = COMMANDS[name];
  return [`usage: lazymm ${c.synopsis}`, '', c.summary, '', ...(c.flags.length ? formatFlags(c.flags) : ['  (no flags)'])];
}

/**
 * Runs the command line `argv` (without node and the script); returns the exit status (a promise for
 * the streaming `check-trace`).
 */
export function main(argv: readonly string[], io: CliIo = processIo): number | Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic !== undefined && Object.hasOwn(COMMANDS, topic)) println(io, ...commandUsage(topic));
    else (name === undefined ? eprintln : println)(io, ...usage());
    return name === undefined ? USAGE_EXIT : 0;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    println(io, `lazymm ${lazymmVersion()}`);
    return 0;
  }
  if (!Object.hasOwn(COMMANDS, name)) {
    eprintln(io, describeCliError(new UsageError(`unknown command ${JSON.stringify(name)} (commands: ${Object.keys(COMMANDS).join(', ')})`)).text, '', ...usage());
    return USAGE_EXIT;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    println(io, ...commandUsage(name));
    return 0;
  }
  try {
    return COMMANDS[name].run(rest, io);
  } catch (err) {
    const { exitCode, text } = describeCliError(err);
    eprintln(io, text);
    return exitCode;
  }
}

// Run when started as a program: `ts-node src/cli/main.ts` (npm start) or through bin/lazymm.js.
const entry = require.main?.filename ?? '';
if (require.main === module || /[\\/]bin[\\/]lazymm(\.js)?$/.test(entry)) {
  void Promise.resolve(main(process.argv.slice(2))).then((code) => {
    process.exitCode = code;
  });
}
