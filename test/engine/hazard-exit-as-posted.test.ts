/**
 * Variant hazard-exit-mm-as-posted (issue 12 item 10, errata Part 3 A11): Andy Lutomirski's Jan 2022
 * series left exit_mm()'s counted mmgrab(mm) in place while removing rq->prev_mm and
 * finish_task_switch()'s mmdrop(), so the exited mm is never freed. lazymm's x86/hazard engine
 * models exit_mm() converted; the variant models it as posted. The same ops on both.
 */
import * as path from 'node:path';
import { checkTrace } from '../../properties';
import { replayOps } from '../../arbitraries';
import { createEngine } from '../../src/engine/build';
import { loadFixture } from '../../src/fixtures/fixture';

const fixture = loadFixture(path.resolve(__dirname, '..', '..', 'fixtures', 'variants', 'hazard-exit-mm-as-posted.json'));

describe('hazard strategy: exit_mm() as posted vs converted', () => {
  it('as posted, the exited mm stays with a grab owned by the dead task: refcount-balance C1.4', () => {
    const { events } = replayOps(createEngine(fixture.engine), fixture.config, fixture.ops);
    const grab = events.find((e) => e.k === 'ref' && e.fn === 'exit_mm');
    expect(grab).toMatchObject({ counter: 'mm_count', delta: 1, token: 'grab' });
    const v = checkTrace(events).find((x) => x.property === 'refcount-balance');
    expect(v).toMatchObject({ clause: 'C1.4 leaked' });
    expect(v?.message).toContain('is dead');
  });

  it('converted (the x86/hazard engine), the same ops free the mm and nothing fails', () => {
    const { events } = replayOps(createEngine({ arch: 'x86', strategy: 'hazard' }), fixture.config, fixture.ops);
    expect(events.some((e) => e.k === 'ref' && e.fn === 'exit_mm')).toBe(false);
    expect(checkTrace(events)).toEqual([]);
  });
});
