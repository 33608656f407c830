/**
 * ajv set-up and error reporting shared by the trace and fixture schemas. Errors are turned into
 * `{ path, message }` pairs where `path` is a JSON pointer to the offending value (for a missing or
 * unexpected property: to that property) and `message` says what was expected, e.g.
 * `{ path: '/ops/3/cpu', message: 'expected integer >= 0 (got -1)' }`.
 */
import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';

/** One problem found by a schema: where (JSON pointer) and what was expected. */
export interface SchemaError {
  /** JSON pointer (RFC 6901) into the validated value; '' is the value itself. */
  path: string;
  message: string;
}

/** The outcome of a validation: errors in document order, at most one per location. */
export type ValidationResult = { ok: true } | { ok: false; errors: SchemaError[] };

/**
 * A strict draft 2020-12 ajv instance. `discriminator` makes a `oneOf` on `k` / `op` report the
 * errors of the matching branch only (instead of one error per branch); `verbose` gives us the
 * failing schema, from which the "expected ..." text is written.
 */
export function createAjv(): Ajv2020 {
  return new Ajv2020({
    strict: true,
    // The trace is an open tuple (init, then any events); strict mode only knows closed tuples.
    strictTuples: false,
    allowUnionTypes: true,
    allErrors: true,
    discriminator: true,
    verbose: true,
  });
}

/** Escapes one property name for a JSON pointer (RFC 6901). */
export const pointerSegment = (name: string): string => name.replace(/~/g, '~0').replace(/\//g, '~1');

/** `path: message`, with '/' for the root. */
export const formatSchemaError = (e: SchemaError): string => `${e.path || '/'}: ${e.message}`;

/** A short English description of the values a schema accepts, e.g. `integer >= 0`. */
export function describeExpected(schema: unknown): string {
  if (typeof schema !== 'object' || schema === null) return 'a valid value';
  const s = schema as Record<string, unknown>;
  if (typeof s.description === 'string') return s.description;
  if ('const' in s) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return `one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  const types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === 'string' ? [s.type] : [];
  if (types.length === 0) return 'a valid value';
  return types.map((t) => describeType(t, s)).join(' or ');
}

function describeType(type: string, s: Record<string, unknown>): string {
  if (type === 'integer' || type === 'number') {
    const min = s.minimum as number | undefined;
    const max = s.maximum as number | undefined;
    if (min !== undefined && max !== undefined) return `${type} ${min}..${max}`;
    if (min !== undefined) return `${type} >= ${min}`;
    if (max !== undefined) return `${type} <= ${max}`;
    return type;
  }
  if (type === 'string') {
    if (typeof s.pattern === 'string') return `string matching /${s.pattern}/`;
    if (s.minLength === 1) return 'non-empty string';
    return 'string';
  }
  if (type === 'array' && typeof s.minItems === 'number' && s.minItems > 0) {
    return `array of at least ${s.minItems} item${s.minItems === 1 ? '' : 's'}`;
  }
  return type;
}

const got = (data: unknown): string => {
  if (data === undefined) return '';
  const text = Array.isArray(data)
    ? `${data.length} item${data.length === 1 ? '' : 's'}`
    : typeof data === 'object' && data !== null ? 'an object'
    : typeof data === 'number' && !Number.isFinite(data) ? 'a number too large for a double (JSON.parse read it as Infinity)'
    : JSON.stringify(data);
  return ` (got ${text.length > 60 ? `${text.slice(0, 57)}...` : text})`;
};

/** One readable error per JSON location, in ajv's order. */
export function toSchemaErrors(errors: readonly ErrorObject[] | null | undefined): SchemaError[] {
  const out: SchemaError[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    // "must match else schema" always comes with the else branch's own, more precise errors.
    if (e.keyword === 'if') continue;
    const converted = convert(e);
    if (seen.has(converted.path)) continue; // a type error and a minimum error on one value say one thing
    seen.add(converted.path);
    out.push(converted);
  }
  return out;
}

function convert(e: ErrorObject): SchemaError {
  const parent = (e.parentSchema ?? {}) as Record<string, unknown>;
  const props = (parent.properties ?? {}) as Record<string, unknown>;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': {
      const name = String(p.missingProperty);
      const sub = props[name];
      const expected = sub && !('$ref' in (sub as object)) ? `; expected ${describeExpected(sub)}` : '';
      return { path: `${e.instancePath}/${pointerSegment(name)}`, message: `missing required property${expected}` };
    }
    case 'additionalProperties': {
      const name = String(p.additionalProperty);
      const allowed = Object.keys(props);
      const hint = allowed.length ? ` (allowed: ${allowed.join(', ')})` : '';
      return { path: `${e.instancePath}/${pointerSegment(name)}`, message: `unexpected property${hint}` };
    }
    case 'discriminator': {
      // The tag (`k` or `op`) is missing, not a string, or names no branch.
      const tag = String(p.tag);
      const path = `${e.instancePath}/${pointerSegment(tag)}`;
      const value = (e.data as Record<string, unknown> | undefined)?.[tag];
      return { path, message: `expected ${describeExpected(props[tag])}${got(value)}` };
    }
    case 'type': case 'minimum': case 'maximum': case 'enum': case 'const': case 'pattern': case 'minLength':
    case 'minItems':
      return { path: e.instancePath, message: `expected ${describeExpected(parent)}${got(e.data)}` };
    default:
      return { path: e.instancePath, message: e.message ?? `fails ${e.keyword}` };
  }
}
