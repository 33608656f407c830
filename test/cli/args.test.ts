import { parseArgs, type FlagSpec } from '../../src/cli/args';
import { UsageError } from '../../src/cli/errors';

const FLAGS: FlagSpec[] = [
  { name: 'seed', kind: 'value', help: '' },
  { name: 'knob', kind: 'list', help: '' },
  { name: 'json', kind: 'switch', help: '' },
];

describe('parseArgs', () => {
  it('takes --flag value, --flag=value, switches, repeated lists and negative numbers', () => {
    const a = parseArgs('x', ['--seed', '-42', '--knob=a=1', '--knob', 'b=2', '--json'], FLAGS);
    expect(a.values.get('seed')).toBe('-42');
    expect(a.lists.get('knob')).toEqual(['a=1', 'b=2']);
    expect(a.switches.has('json')).toBe(true);
  });

  it('does not take the next flag as a value', () => {
    const a = parseArgs('x', ['--seed', '--json'], FLAGS);
    expect(a.values.has('seed')).toBe(true);
    expect(a.values.get('seed')).toBeUndefined();
    expect(a.switches.has('json')).toBe(true);
  });

  it('collects positionals only where allowed, and everything after --', () => {
    expect(parseArgs('x', ['a.json', '--json', '--', '--b.json'], FLAGS, true).positionals).toEqual(['a.json', '--b.json']);
    expect(() => parseArgs('x', ['a.json'], FLAGS)).toThrow(UsageError);
  });

  it('rejects unknown flags, naming the accepted ones', () => {
    expect(() => parseArgs('x', ['--sed', '1'], FLAGS)).toThrow('x: unknown flag --sed (accepted: --seed, --knob, --json)');
  });
});
