import { describeExpected, formatSchemaError, pointerSegment } from './validation';

describe('describeExpected', () => {
  it.each([
    [{ type: 'integer', minimum: 0 }, 'integer >= 0'],
    [{ type: 'integer', minimum: 1, maximum: 8 }, 'integer 1..8'],
    [{ type: 'integer', maximum: 8 }, 'integer <= 8'],
    [{ type: ['string', 'null'], minLength: 1 }, 'non-empty string or null'],
    [{ type: 'string', pattern: '^a$' }, 'string matching /^a$/'],
    [{ enum: ['a', 1, null] }, 'one of "a", 1, null'],
    [{ const: 'init' }, '"init"'],
    [{ type: 'array', minItems: 2 }, 'array of at least 2 items'],
    [{ type: 'string', description: 'a task id' }, 'a task id'],
    [{}, 'a valid value'],
  ])('%j -> %s', (schema, text) => expect(describeExpected(schema)).toBe(text));
});

describe('JSON pointers', () => {
  it('escapes ~ and /', () => expect(pointerSegment('a/b~c')).toBe('a~1b~0c'));
  it('formats the root as /', () => expect(formatSchemaError({ path: '', message: 'm' })).toBe('/: m'));
});
