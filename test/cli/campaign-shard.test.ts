/**
 * `lazymm campaign --shard I/N` and `lazymm merge`: shards 1/3, 2/3 and 3/3 together are the
 * unsharded campaign (same JSON document apart from times, same exit status), with one seed block
 * per row and with several; merge refuses what does not make up one campaign.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { captureIo, lazymm } from './helpers';

const SHORT = ['--runs', '6', '--search-runs', '12', '--max-ops', '40'];

/** The document without times (they depend on the machine, and merge adds up the shards'). */
function timeless(doc: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(doc, (key, value) => (key === 'seconds' ? undefined : value)));
}

describe('campaign --shard I/N and merge', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lazymm-shard-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function shards(count: number, extra: string[] = []): string[] {
    return Array.from({ length: count }, (_, k) => {
      const r = lazymm('campaign', ...SHORT, ...extra, '--shard', `${k + 1}/${count}`, '--json');
      expect(r.err).toBe('');
      const file = path.join(dir, `shard-${extra.join('')}-${k + 1}of${count}.json`);
      fs.writeFileSync(file, r.out);
      return file;
    });
  }

  it.each([[[]], [['--blocks', '3']]])('shards 1/3, 2/3, 3/3 merged equal the unsharded campaign (%j)', (extra: string[]) => {
    const whole = lazymm('campaign', ...SHORT, ...extra, '--json');
    const files = shards(3, extra);
    const docs = files.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
    // Disjoint work that covers the campaign.
    const units = docs.flatMap((d) => d.units.map((u: { unit: number }) => u.unit)).sort((a: number, b: number) => a - b);
    expect(units).toEqual([...Array(docs[0].totalUnits).keys()]);
    const merged = lazymm('merge', ...[...files].reverse(), '--json');
    expect(merged.err).toBe('');
    expect(timeless(JSON.parse(merged.out))).toEqual(timeless(JSON.parse(whole.out)));
    expect(merged.code).toBe(whole.code);
    // The text report of merge is the campaign's matrix.
    const text = lazymm('merge', ...files);
    expect(text.out).toMatch(/merged from 3 shard results \(1\/3, 2\/3, 3\/3\)/);
    expect(text.out).toMatch(whole.code === 0 ? /campaign: PASS/ : /campaign: FAIL \(/);
  });

  it('refuses a missing shard, a shard given twice, shards of another campaign and files that are not shard results', () => {
    const [a, b, c] = shards(3);
    const other = path.join(dir, 'other.json');
    fs.writeFileSync(other, lazymm('campaign', '--runs', '13', '--search-runs', '13', '--shard', '3/3', '--json').out);
    const broken = path.join(dir, 'broken.json');
    const doc = JSON.parse(fs.readFileSync(a, 'utf8'));
    doc.units[1].block = -1;
    fs.writeFileSync(broken, JSON.stringify(doc));
    const notJson = path.join(dir, 'not.json');
    fs.writeFileSync(notJson, '{"format": ');
    const cases: [string[], RegExp][] = [
      [[a, b], /units missing \(shard 3\/3 not given\)/],
      [[a, b, c, a], /is in both .* and .* \(a shard given twice\?\)/],
      [[a, b, other], /other\.json \(shard 3\/3\) is from a different campaign/],
      [[broken], /broken\.json: not a campaign shard result: \/units\/1\/block: expected integer >= 0 \(got -1\)/],
      [[notJson], /not\.json:1:12: not JSON/],
      [[path.join(dir, 'absent.json')], /absent\.json: cannot read \(ENOENT\)/],
      [[], /expected one or more FILEs/],
    ];
    for (const [files, message] of cases) {
      const r = lazymm('merge', ...files);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(message);
    }
  });

  it('rejects a bad --shard or --blocks', () => {
    expect(lazymm('campaign', '--shard', '4/3').err).toMatch(/--shard: shard must be I\/N with 1 <= I <= N/);
    expect(lazymm('campaign', '--shard', 'half').err).toMatch(/--shard: expected I\/N/);
    expect(lazymm('campaign', '--runs', '2', '--blocks', '3').err).toMatch(/--blocks: expected at most --runs \(2\) blocks/);
  });
});

describe('campaign progress', () => {
  it('shows units done, rate and time left on stderr when asked (a terminal), and clears the line', () => {
    const { io, result } = captureIo();
    main(['campaign', '--runs', '5', '--search-runs', '5', '--shard', '1/9'], { ...io, progress: true });
    const { err, out } = result();
    expect(err).toMatch(/\rcampaign: 1\/\d+ units \(engine [^)]+\), [\d.]+k? units\/s, \d+ s left/);
    expect(err.endsWith('\r')).toBe(true);
    expect(out).not.toContain('units/s');
    // Not on a terminal (the default under jest): nothing on stderr.
    expect(lazymm('campaign', '--runs', '5', '--search-runs', '5', '--shard', '1/9').err).toBe('');
  });
});
