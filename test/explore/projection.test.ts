/**
 * src/explore/projection.ts: what finishing an incomplete search would take, from the growth of its
 * last completed levels.
 */
import { countText, durationText, projectReach, projectionText } from '../../src/explore/projection';

const levels = (states: number[]) => states.map((s, i) => ({ depth: i + 1, states: s, transitions: s * 3 }));

describe('projectReach', () => {
  it('extrapolates the geometric mean of the last three completed levels\' growth', () => {
    // Completed: 1, 2, 4, 8, 16 (growth 2); a partial sixth level found 5 states.
    const p = projectReach(levels([1, 2, 4, 8, 16, 5]), 5, 8, 10)!;
    expect(p.growth).toBeCloseTo(2, 9);
    expect(p.levelsUsed).toBe(3);
    // Levels 6, 7, 8 at growth 2: 32 + 64 + 128, less the 5 already found.
    expect(p.states).toBeCloseTo(32 + 64 + 128 - 5, 6);
    expect(p.seconds).toBeCloseTo((32 + 64 + 128 - 5) / 10, 6);
  });

  it('uses the mean of unequal ratios and fewer levels when fewer completed', () => {
    const p = projectReach(levels([1, 3, 12]), 3, 4, 1)!;
    expect(p.levelsUsed).toBe(2);
    expect(p.growth).toBeCloseTo(Math.sqrt(3 * 4), 9);
    expect(p.states).toBeCloseTo(12 * Math.sqrt(12), 6);
  });

  it('has nothing to say without two completed levels, or when the depth was reached', () => {
    expect(projectReach(levels([1, 40]), 1, 5, 100)).toBeNull();
    expect(projectReach(levels([1, 2, 4]), 3, 3, 100)).toBeNull();
    expect(projectReach(levels([1, 2, 4]), 3, 5, 0)).toBeNull();
  });

  it('is written as an order of magnitude', () => {
    expect(durationText(45)).toBe('45 s');
    expect(durationText(600)).toBe('10 min');
    expect(durationText(36000)).toBe('10.0 h');
    expect(durationText(864000)).toBe('10.0 days');
    expect(durationText(3.15576e7 * 3)).toBe('3 years');
    expect(countText(2.4e9)).toBe('2.4e+9');
    expect(countText(5.3e5)).toBe('530k');
    const p = projectReach(levels([1, 2, 4, 8, 16]), 5, 8, 10)!;
    expect(projectionText(p, 8)).toBe(
      "projection: at the last 3 levels' growth (x2.00 new states per level), depth 8 needs about 224 more states: about 22 s at this search's rate (at constant growth: less if the growth keeps falling)",
    );
  });
});
