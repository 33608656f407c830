/**
 * Tiny typed builders for JSON Schema (draft 2020-12) objects.
 *
 * Each builder returns a plain JSON Schema object (what ajv compiles and what we publish) that also
 * carries, at the type level only, the TypeScript type it accepts. `Static<S>` recovers that type, so
 * ./schema.ts can check at compile time that the schema of every event kind accepts exactly the
 * interface in ./events.ts. That is why the field lists exist once (in the schema) and cannot drift.
 */

declare const staticType: unique symbol;

/** A JSON Schema object that accepts values of type `T` (`T` is a phantom: never present at run time). */
export type Schema<T> = { readonly [staticType]: T } & { readonly [keyword: string]: unknown };

/** The TypeScript type a schema accepts. */
export type Static<S> = S extends { readonly [staticType]: infer T } ? T : never;

/** Marks an object property as optional (not listed in `required`). */
export class OptionalField<T> {
  constructor(readonly schema: Schema<T>) {}
}

type Field = Schema<unknown> | OptionalField<unknown>;
type Fields = Record<string, Field>;

type RequiredKeys<P extends Fields> = { [K in keyof P]: P[K] extends OptionalField<unknown> ? never : K }[keyof P];
type OptionalKeys<P extends Fields> = Exclude<keyof P, RequiredKeys<P>>;
type FieldType<F> = F extends OptionalField<infer T> ? T : Static<F>;

type Flatten<T> = { [K in keyof T]: T[K] } & {};

/** The object type described by a property map (optional fields become `?:`), as one flat type. */
export type ObjectOf<P extends Fields> = Flatten<
  { [K in RequiredKeys<P>]: FieldType<P[K]> } & { [K in OptionalKeys<P>]?: FieldType<P[K]> }
>;

// The cast is the one place where the phantom type is attached to a plain object.
const typed = <T>(schema: Record<string, unknown>): Schema<T> => schema as Schema<T>;

/** A string; `extra` adds keywords such as `pattern`, `minLength` or `description`. */
export const str = (extra: Record<string, unknown> = {}): Schema<string> => typed({ type: 'string', ...extra });

/** An integer; `extra` adds keywords such as `minimum` and `maximum`. */
export const int = (extra: Record<string, unknown> = {}): Schema<number> => typed({ type: 'integer', ...extra });

export const bool = (): Schema<boolean> => typed({ type: 'boolean' });

/** JSON null (the init event's `cpu`). */
export const nul = (): Schema<null> => typed({ type: 'null' });

/** Exactly the value `v`. */
export const lit = <const V extends string | number | boolean>(v: V): Schema<V> => typed({ const: v });

/** One of the listed values. */
export const oneOfValues = <const V extends readonly (string | number)[]>(
  values: V,
  extra: Record<string, unknown> = {},
): Schema<V[number]> => typed({ enum: [...values], ...extra });

/** Any of the listed primitive JSON types (for example knob values). */
export const anyOfTypes = <T>(types: readonly ('string' | 'number' | 'boolean')[]): Schema<T> =>
  typed({ type: [...types] });

/** A value that matches `a` or `b`. */
export const anyOf = <A, B>(a: Schema<A>, b: Schema<B>): Schema<A | B> => typed({ anyOf: [a, b] });

/** `s` or null. Keeps the schema flat (type arrays, enum + null) so ajv's errors stay readable. */
export function nullable<T>(s: Schema<T>): Schema<T | null> {
  if (typeof s.type === 'string') return typed({ ...s, type: [s.type, 'null'] });
  if (Array.isArray(s.enum)) return typed({ ...s, enum: [...(s.enum as unknown[]), null] });
  return typed({ anyOf: [s, { type: 'null' }] });
}

/** An array of `items`. */
export const arr = <T>(items: Schema<T>): Schema<T[]> => typed({ type: 'array', items });

/** An object whose values all match `values` (a TypeScript `Record<string, T>`). */
export const record = <T>(values: Schema<T>): Schema<Record<string, T>> =>
  typed({ type: 'object', additionalProperties: values });

/** An optional property of `obj`. */
export const opt = <T>(s: Schema<T>): OptionalField<T> => new OptionalField(s);

/** A closed object (`additionalProperties: false`): every field is listed, required unless `opt`. */
export function obj<const P extends Fields>(fields: P, extra: Record<string, unknown> = {}): Schema<ObjectOf<P>> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const [name, field] of Object.entries(fields)) {
    if (field instanceof OptionalField) {
      properties[name] = field.schema;
    } else {
      properties[name] = field;
      required.push(name);
    }
  }
  return typed({ type: 'object', ...extra, properties, required, additionalProperties: false });
}

/**
 * True when `A` and `B` are the same type, down to optional fields and literal members (TypeScript's
 * identity relation; mutual assignability would miss an added optional field).
 */
export type SameType<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
