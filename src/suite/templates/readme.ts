/** The generated suite's README.md: how to run and extend it. */
import type { Property } from '../../../properties';

export function readmeMd(o: { engineId: string; modulePath: string; properties: readonly Property[]; skipped: readonly Property[]; command: string }): string {
  const rows = o.properties.map((p) => `| \`${p.id}.test.ts\` | ${p.title} |`).join('\n');
  const na = o.skipped.length ? `\nNot generated (they do not apply to this engine's init event): ${o.skipped.map((p) => `\`${p.id}\``).join(', ')}.\n` : '';
  return `# lazymm suite for \`${o.engineId}\`

Written by lazymm for the engine module \`${o.modulePath}\` (relative to this directory) with:

\`\`\`sh
${o.command}
\`\`\`

Each property that applies to the engine has a test file: lazymm's arbitraries generate
interleavings of the engine's enabled ops, lazymm's properties check the traces, and
counterexamples are shrunk, recorded and replayed.

| file | checks |
|---|---|
${rows}
| \`replay.test.ts\` | every fixture in \`fixtures/\` keeps its recorded verdict |
| \`harness.ts\`, \`engine.ts\` | the shared code: engine loading, the check, fixture recording and replay |
${na}
## Running it

\`\`\`sh
npx jest <this directory>                          # needs jest with TypeScript (ts-jest) and lazymm installed
LAZYMM_RUNS=2000 npx jest <this directory>         # a longer search
LAZYMM_SEED=42 npx jest <this directory>           # another fast-check seed
LAZYMM_ENGINE_MODULE=path/to/other.ts npx jest <this directory>   # the same suite on another engine module
LAZYMM_FIXTURES_DIR=/tmp/fx npx jest <this directory>             # record and replay fixtures elsewhere
\`\`\`

A failing property test prints the shrunk ops and the timeline of the violation, and records the
counterexample as a fixture in \`fixtures/\` (a lazymm fixture: the ops, the configuration and the
violation they produce). From then on \`replay.test.ts\` replays it: the recorded violation must
still happen. When you have fixed the engine, change the fixture's \`"expect"\` to \`"pass"\` and
keep it as a regression test.

## Extending it

- Tune a property's search in its test file (runs, seed) or add tests of your own next to it.
- Add your own test files: the generator never touches files it did not write.
- Regenerate after upgrading lazymm or changing the engine (the command above). Every generated file
  starts with a \`lazymm-generated sha256:...\` line, the hash of the rest of the file. A file whose
  content still matches its hash is rewritten; a file you edited no longer matches and is skipped
  (the generator names it). To hand a file back to the generator, delete it: it is written afresh.
  To keep a file as yours even unedited, delete its first line.
`;
}
