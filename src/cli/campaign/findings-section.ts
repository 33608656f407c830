/**
 * Campaign section 3, "known open upstream (expected to fail)": every finding on its own engine
 * (mainline, no fix), by random search and by replaying its fixture, then the fixture with the
 * proposed-fix knobs on.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EngineSpec } from '../../run/types';
import { loadFixture, FixtureError } from '../../fixtures/fixture';
import { replayAlignedMonitored, runCheck, ReplayError } from '../../../arbitraries';
import { createEngine } from '../../engine/registry';
import { createTraceChecker, propertyById, type Violation } from '../../../properties';
import { replayAndCheck } from '../counterexample';
import { sameClause, type Finding } from '../findings';
import { defaultFixturesDir, lazymmRoot, projectRoot } from '../../fixtures/project-dirs';
import type { CampaignSettings } from './sections';

export interface FindingRow {
  id: string;
  status: Finding['status'];
  engine: string;
  property: string;
  clause: string;
  /** Random search: what it found (`property clause@event`), or null. */
  search: string | null;
  searchReproduced: boolean;
  runs: number;
  opsExecuted: number;
  seconds: number;
  /** The fixture replayed without the fix: 'reproduced', 'not reproduced', or why it could not be replayed. */
  fixture: string;
  /** The fixture replayed with the fix knobs: 'passes', 'still fails', or why not. */
  withFix: string;
  /** Reproduced by the search or by the fixture. */
  reproduced: boolean;
}


/**
 * A finding's fixture (`fixtures/findings/<id>.json`): in the user's project first (where `--record`
 * writes, src/fixtures/project-dirs.ts), then in lazymm's own folder (the repository, or the
 * installed package, which ships fixtures/).
 */
export function fixturePath(f: Finding): string | undefined {
  const candidates = [projectRoot(), path.dirname(defaultFixturesDir()), lazymmRoot()].map((root) => path.resolve(root, f.fixture));
  return candidates.find((p) => fs.existsSync(p));
}

function replayFixture(file: string, engine: EngineSpec, f: Finding): Violation | undefined | string {
  try {
    const fixture = loadFixture(file);
    return replayAndCheck(engine, fixture.config, fixture.ops).violations.find((v) => v.property === f.property);
  } catch (err) {
    if (err instanceof FixtureError) return `invalid fixture: ${err.message.split('\n')[0]}`;
    if (err instanceof ReplayError) return 'ops not accepted';
    throw err;
  }
}

/**
 * The fixture under the fix when its exact ops are not accepted (a fix that adds or removes steps,
 * e.g. a registration that now takes the multi-user path): the aligned replay the variants'
 * differential base uses (each recorded op once it is enabled, the path steps in between drained).
 */
function replayFixtureAligned(file: string, engine: EngineSpec, f: Finding): string {
  const fixture = loadFixture(file);
  const property = propertyById(f.property);
  if (!property) return 'ops not accepted';
  const out = replayAlignedMonitored(createEngine(engine), fixture.config, fixture.ops, (init) => createTraceChecker(init, [property]));
  if (out.error) return 'ops not accepted';
  return out.violation ? 'still fails (aligned replay)' : 'passes (aligned replay)';
}

export function findingRow(f: Finding, s: CampaignSettings): FindingRow {
  // A reproduction check: only whether (and after how many runs) the search finds the finding's
  // clause counts, not how short its counterexample shrinks, so no restarts (arbitraries/restart-shrink.ts).
  const r = runCheck({ engine: f.engine, properties: [f.property], runs: s.searchRuns, maxOps: s.maxOps, seed: s.seed, restarts: 0, ...(f.config ? { config: f.config } : {}) });
  const cx = r.counterexample;
  const searchReproduced = cx !== undefined && cx.property === f.property && sameClause(cx.clause, f.clause);
  const file = fixturePath(f);
  let fixture = 'missing';
  let withFix = 'n/a';
  if (file) {
    const plain = replayFixture(file, f.engine, f);
    fixture = typeof plain === 'string' ? plain : plain && sameClause(plain.clause, f.clause) ? 'reproduced' : 'not reproduced';
    if (f.fixKnobs && Object.keys(f.fixKnobs).length) {
      const fixedEngine = { ...f.engine, knobs: { ...(f.engine.knobs ?? {}), ...f.fixKnobs } };
      const fixed = replayFixture(file, fixedEngine, f);
      withFix = fixed === 'ops not accepted' ? replayFixtureAligned(file, fixedEngine, f) : typeof fixed === 'string' ? fixed : fixed ? 'still fails' : 'passes';
    }
  }
  return {
    id: f.id,
    status: f.status,
    engine: r.engine,
    property: f.property,
    clause: f.clause,
    search: cx ? `${cx.property} ${cx.clause}@${cx.eventIndex}` : null,
    searchReproduced,
    runs: r.runs,
    opsExecuted: r.opsExecuted,
    seconds: r.seconds,
    fixture,
    withFix,
    reproduced: searchReproduced || fixture === 'reproduced',
  };
}

/**
 * A finding's row from its seed blocks (campaign --blocks): the search reproduced it when a block
 * did (that block's result is shown); the fixture verdicts are the same in every block.
 */
export function combineFindingBlocks(blocks: readonly FindingRow[]): FindingRow {
  if (blocks.length === 1) return blocks[0];
  const shown = blocks.find((b) => b.searchReproduced) ?? blocks.find((b) => b.search !== null) ?? blocks[0];
  const total = (key: 'runs' | 'opsExecuted' | 'seconds') => blocks.reduce((n, b) => n + b[key], 0);
  return {
    ...blocks[0],
    search: shown.search,
    searchReproduced: shown.searchReproduced,
    runs: total('runs'),
    opsExecuted: total('opsExecuted'),
    seconds: total('seconds'),
    reproduced: shown.searchReproduced || blocks[0].fixture === 'reproduced',
  };
}
