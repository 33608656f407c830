import { EVENT_SCHEMAS } from './event-schemas';
import { EXAMPLE_EVENTS } from './examples';
import { validateTraceEvent } from './schema';
import { compileShape, eventHasValidShape } from './shape-check';

/** Every example event, and each of them broken in the ways an engine breaks events. */
function variants(): unknown[] {
  const out: unknown[] = [];
  const wrong = [undefined, null, -1, 1.5, '', 'T1', true, {}, 'a:b', 'rq:1'];
  for (const ev of Object.values(EXAMPLE_EVENTS) as unknown as Record<string, unknown>[]) {
    out.push(ev, { ...ev, extra: 1 }, { ...ev, k: 'nope' });
    for (const field of Object.keys(ev)) {
      const { [field]: _dropped, ...rest } = ev;
      out.push(rest);
      for (const value of wrong) out.push({ ...ev, [field]: value });
    }
  }
  const init = EXAMPLE_EVENTS.init as unknown as Record<string, Record<string, unknown>[]>;
  for (const list of ['cpus', 'tasks', 'mms', 'refs']) {
    for (const field of Object.keys(init[list][0])) {
      for (const value of [undefined, null, -1, 'x', [9]]) out.push({ ...init, [list]: [{ ...init[list][0], [field]: value }] });
    }
  }
  return out;
}

describe('the fast shape check agrees with ajv', () => {
  it('compiles every kind (no keyword it does not know)', () => {
    for (const s of Object.values(EVENT_SCHEMAS)) expect(typeof compileShape(s as never)).toBe('function');
  });

  it('on every example event and on broken copies of them', () => {
    const disagreements = variants().filter((v) => eventHasValidShape(v) !== validateTraceEvent(v).ok);
    expect(disagreements).toEqual([]);
  });

  it('refuses a keyword it does not interpret', () => {
    expect(() => compileShape({ type: 'string', format: 'date' })).toThrow('unsupported keyword format');
  });
});
