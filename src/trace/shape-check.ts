/**
 * A fast yes/no check of an event against the JSON Schema of its kind, for engine output (hundreds
 * of thousands of events a second). ajv (./schema.ts) stays the authority and writes the messages:
 * it costs about 0.6 s to compile and 2 µs an event, more than all the properties together, while
 * this compiler of the few keywords ./schema-builder.ts writes builds one plain JavaScript function
 * per kind in milliseconds. When it says no, the caller asks ajv why.
 *
 * Keywords: type (one or a list), const, enum, minimum, maximum, minLength, pattern, items,
 * properties + required + additionalProperties (false or a schema), anyOf. Any other keyword makes
 * `compileShape` throw, so a schema that grows a keyword this file does not know fails loudly (the
 * test compiles every kind's schema, and compares the verdicts with ajv's) instead of being checked
 * loosely.
 */
import { EVENT_SCHEMAS } from './event-schemas';

type Check = (v: unknown) => boolean;
type Schema = Record<string, unknown>;

const KNOWN = new Set([
  'type', 'const', 'enum', 'minimum', 'maximum', 'minLength', 'pattern', 'items', 'properties', 'required',
  'additionalProperties', 'anyOf', 'description',
]);

const TYPE_TESTS: Record<string, (x: string) => string> = {
  string: (x) => `typeof ${x} === 'string'`,
  integer: (x) => `(typeof ${x} === 'number' && isInteger(${x}))`,
  number: (x) => `(typeof ${x} === 'number' && isFinite(${x}))`,
  boolean: (x) => `typeof ${x} === 'boolean'`,
  null: (x) => `${x} === null`,
  array: (x) => `isArray(${x})`,
  object: (x) => `(typeof ${x} === 'object' && ${x} !== null && !isArray(${x}))`,
};

/** Code generation state: the helpers (regexps, sets, nested checks) the generated code refers to. */
class Gen {
  readonly helpers: unknown[] = [];
  private vars = 0;

  helper(value: unknown): string {
    this.helpers.push(value);
    return `h[${this.helpers.length - 1}]`;
  }

  fresh(): string {
    return `v${this.vars++}`;
  }

  /** Statements that `return false` when `x` (a variable name) does not match `schema`. */
  emit(schema: Schema, x: string): string {
    for (const k of Object.keys(schema)) if (!KNOWN.has(k)) throw new Error(`compileShape: unsupported keyword ${k}`);
    const out: string[] = [];
    const fail = (cond: string) => out.push(`if (${cond}) return false;`);
    if (schema.type !== undefined) {
      const types = (Array.isArray(schema.type) ? schema.type : [schema.type]) as string[];
      fail(`!(${types.map((t) => TYPE_TESTS[t](x)).join(' || ')})`);
    }
    if ('const' in schema) fail(`${x} !== ${JSON.stringify(schema.const)}`);
    if (Array.isArray(schema.enum)) fail(`!${this.helper(new Set(schema.enum))}.has(${x})`);
    if (typeof schema.minimum === 'number') fail(`typeof ${x} === 'number' && ${x} < ${schema.minimum}`);
    if (typeof schema.maximum === 'number') fail(`typeof ${x} === 'number' && ${x} > ${schema.maximum}`);
    if (typeof schema.minLength === 'number') {
      // Code points, as ajv counts them; a string of 2n UTF-16 units has at least n.
      const n = schema.minLength;
      fail(`typeof ${x} === 'string' && ${x}.length < ${2 * n} && [...${x}].length < ${n}`);
    }
    if (typeof schema.pattern === 'string') fail(`typeof ${x} === 'string' && !${this.helper(memoTest(new RegExp(schema.pattern, 'u')))}(${x})`);
    if (schema.items !== undefined) {
      const item = this.helper(compileShape(schema.items as Schema));
      out.push(`if (isArray(${x})) for (let i = 0; i < ${x}.length; i++) if (!${item}(${x}[i])) return false;`);
    }
    if (Array.isArray(schema.anyOf)) {
      const alts = (schema.anyOf as Schema[]).map((a) => this.helper(compileShape(a)));
      fail(`!(${alts.map((a) => `${a}(${x})`).join(' || ')})`);
    }
    if (schema.properties !== undefined || schema.additionalProperties !== undefined || schema.required !== undefined) {
      out.push(`if (typeof ${x} === 'object' && ${x} !== null && !isArray(${x})) {`, this.emitObject(schema, x), '}');
    }
    return out.join('\n');
  }

  private emitObject(schema: Schema, x: string): string {
    const out: string[] = [];
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    // As ajv: a property whose value is undefined is absent (except to additionalProperties).
    for (const name of (schema.required ?? []) as string[]) out.push(`if (${x}[${JSON.stringify(name)}] === undefined) return false;`);
    for (const [name, s] of Object.entries(props)) {
      const y = this.fresh();
      out.push(`{ const ${y} = ${x}[${JSON.stringify(name)}]; if (${y} !== undefined) { ${this.emit(s, y)} } }`);
    }
    const extra = schema.additionalProperties;
    const cases = Object.keys(props).map((n) => `case ${JSON.stringify(n)}:`).join(' ');
    const known = cases === '' ? '' : `${cases} break; `;
    if (extra === false) {
      out.push(`for (const key in ${x}) switch (key) { ${known}default: return false; }`);
    } else if (typeof extra === 'object' && extra !== null) {
      const check = this.helper(compileShape(extra as Schema));
      out.push(`for (const key in ${x}) switch (key) { ${known}default: if (!${check}(${x}[key])) return false; }`);
    }
    return out.join('\n');
  }
}

/** A regexp test remembered per string (engines repeat a few function names and owners). */
function memoTest(re: RegExp): (s: string) => boolean {
  const memo = new Map<string, boolean>();
  return (s) => {
    let ok = memo.get(s);
    if (ok === undefined) {
      ok = re.test(s);
      if (memo.size < 10000) memo.set(s, ok);
    }
    return ok;
  };
}

/** A predicate equivalent to `schema` for the keywords above. */
export function compileShape(schema: Schema): Check {
  const gen = new Gen();
  const body = gen.emit(schema, 'v');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  // The globals the body uses are read once: under jest's vm context every global lookup is slow.
  const prelude = 'const isArray = Array.isArray, isInteger = Number.isInteger, isFinite = Number.isFinite;';
  return new Function('h', `${prelude}\nreturn function shape(v) {\n${body}\nreturn true;\n};`)(gen.helpers) as Check;
}

let byKind: Map<string, Check> | undefined;

/** Whether `ev` passes the JSON Schema of its kind (false for an unknown kind or a non-object). */
export function eventHasValidShape(ev: unknown): boolean {
  if (typeof ev !== 'object' || ev === null) return false;
  if (byKind === undefined) byKind = new Map(Object.entries(EVENT_SCHEMAS).map(([k, s]) => [k, compileShape(s as unknown as Schema)]));
  const check = byKind.get((ev as { k?: unknown }).k as string);
  return check !== undefined && check(ev);
}
