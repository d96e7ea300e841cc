/**
 * An independent check of decoded documents against KFP's own .proto files, through protobufjs rather
 * than our zod mirror, so a gap in spec.ts cannot hide a gap in the loader.
 *
 * protobufjs alone is not a proto3 JSON checker: `fromObject` silently drops unknown keys and rejects
 * proto3 JSON's Struct/Value (`{a: 1}` instead of `{fields: {a: {numberValue: 1}}}`). So the oracle
 * (1) walks the JSON against the reflected descriptors itself — unknown fields, oneofs, scalar and enum
 * types, proto3 JSON's forms of Value/Struct/Duration — and (2) converts the JSON to protobufjs' object
 * form and runs `fromObject`, `verify` and an encode/decode round trip, which must keep every field.
 */
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import protobuf from 'protobufjs';

type Json = unknown;

const INT32 = new Set(['int32', 'uint32', 'sint32', 'fixed32', 'sfixed32']);
const INT64 = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const DURATION = /^-?\d+(\.\d{1,9})?s$/;

export class ProtoOracle {
  private readonly root: protobuf.Root;

  /** Loads the given files from `specDir`, resolving imports against it as an include path. */
  constructor(specDir: string, files: ReadonlyArray<string>) {
    this.root = new protobuf.Root();
    // Imports are relative to the include path; google/protobuf/* come from protobufjs' bundled copies.
    this.root.resolvePath = (_origin, target) => path.resolve(specDir, target);
    this.root.loadSync([...files], { keepCase: true });
    this.root.resolveAll();
  }

  /** Every way `value` fails to be the proto3 JSON of message `typeName`, as `path: problem` lines. */
  check(value: Json, typeName: string): string[] {
    const type = this.root.lookupType(typeName);
    const problems: string[] = [];
    this.walkMessage(value, type, '', problems);
    if (problems.length === 0) problems.push(...this.roundTrip(value, type));
    return problems;
  }

  private walkMessage(value: Json, type: protobuf.Type, path: string, problems: string[]): void {
    if (type.fullName === '.google.protobuf.Struct') {
      if (!isObject(value)) problems.push(`${path}: expected a Struct (JSON object)`);
      return;
    }
    if (type.fullName === '.google.protobuf.Value') return; // any JSON value, null included
    if (type.fullName === '.google.protobuf.ListValue') {
      if (!Array.isArray(value)) problems.push(`${path}: expected a ListValue (JSON array)`);
      return;
    }
    if (type.fullName === '.google.protobuf.Duration') {
      if (typeof value !== 'string' || !DURATION.test(value))
        problems.push(`${path}: expected a Duration like "3600s"`);
      return;
    }
    if (!isObject(value)) {
      problems.push(`${path}: expected ${type.name} (JSON object), got ${JSON.stringify(value)}`);
      return;
    }
    const byJsonName = new Map(type.fieldsArray.map((field) => [jsonName(field), field]));
    for (const [key, item] of Object.entries(value)) {
      const field = byJsonName.get(key) ?? ownField(type, key);
      const at = path ? `${path}.${key}` : key;
      if (field === undefined) problems.push(`${at}: unknown field of ${type.fullName.slice(1)}`);
      else this.walkField(item, field, at, problems);
    }
    for (const oneof of type.oneofsArray) {
      const set = oneof.fieldsArray.filter(
        (field) => value[jsonName(field)] !== undefined && value[jsonName(field)] !== null,
      );
      if (set.length > 1)
        problems.push(`${path}: oneof ${oneof.name} has ${set.map(jsonName).join(' and ')}`);
    }
  }

  private walkField(value: Json, field: protobuf.Field, path: string, problems: string[]): void {
    if (value === null) return; // proto3 JSON: null is the field's default
    if (field instanceof protobuf.MapField) {
      if (!isObject(value)) problems.push(`${path}: expected a map (JSON object)`);
      else
        for (const [key, item] of Object.entries(value))
          this.walkSingle(item, field, `${path}.${key}`, problems);
    } else if (field.repeated) {
      if (!Array.isArray(value)) problems.push(`${path}: expected a list`);
      else for (const [i, item] of value.entries()) this.walkSingle(item, field, `${path}[${i}]`, problems);
    } else this.walkSingle(value, field, path, problems);
  }

  private walkSingle(value: Json, field: protobuf.Field, path: string, problems: string[]): void {
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Type) {
      this.walkMessage(value, resolved, path, problems);
      return;
    }
    if (resolved instanceof protobuf.Enum) {
      const ok =
        typeof value === 'string'
          ? Object.hasOwn(resolved.values, value)
          : Object.values(resolved.values).includes(value as number);
      if (!ok) problems.push(`${path}: ${JSON.stringify(value)} is not a ${resolved.name}`);
      return;
    }
    if (!scalarOk(field.type, value))
      problems.push(`${path}: expected ${field.type}, got ${JSON.stringify(value)}`);
  }

  private roundTrip(value: Json, type: protobuf.Type): string[] {
    const message = type.fromObject(toProtobufjs(value, type) as Record<string, unknown>);
    const error = type.verify(message);
    if (error) return [`protobufjs verify: ${error}`];
    const options = { enums: String, longs: String, defaults: false, arrays: false, objects: false };
    const decoded = type.toObject(type.decode(type.encode(message).finish()), options);
    return isDeepStrictEqual(decoded, type.toObject(message, options))
      ? []
      : ['protobufjs encode/decode changed the message'];
  }
}

/** proto3 JSON → the object form protobufjs' fromObject expects (Struct/Value/Duration expanded). */
function toProtobufjs(value: Json, type: protobuf.Type): unknown {
  switch (type.fullName) {
    case '.google.protobuf.Value':
      return toValue(value);
    case '.google.protobuf.Struct':
      return { fields: Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, toValue(v)])) };
    case '.google.protobuf.ListValue':
      return { values: (value as Json[]).map(toValue) };
    case '.google.protobuf.Duration': {
      const [seconds = '0', fraction = ''] = String(value).slice(0, -1).split('.');
      return { seconds, nanos: Number(fraction.padEnd(9, '0')) * (seconds.startsWith('-') ? -1 : 1) };
    }
  }
  const out: Record<string, unknown> = {};
  const byJsonName = new Map(type.fieldsArray.map((field) => [jsonName(field), field]));
  for (const [key, item] of Object.entries(value as object)) {
    const field = (byJsonName.get(key) ?? ownField(type, key))!;
    if (
      item === null &&
      !(
        field.resolvedType instanceof protobuf.Type &&
        field.resolvedType.fullName === '.google.protobuf.Value'
      )
    )
      continue;
    const convert = (one: Json): unknown =>
      field.resolvedType instanceof protobuf.Type ? toProtobufjs(one, field.resolvedType) : one;
    if (field instanceof protobuf.MapField)
      out[field.name] = Object.fromEntries(Object.entries(item as object).map(([k, v]) => [k, convert(v)]));
    else if (field.repeated) out[field.name] = (item as Json[]).map(convert);
    else out[field.name] = convert(item);
  }
  return out;
}

function toValue(value: Json): unknown {
  if (value === null) return { nullValue: 'NULL_VALUE' };
  if (typeof value === 'number') return { numberValue: value };
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (Array.isArray(value)) return { listValue: { values: value.map(toValue) } };
  return {
    structValue: {
      fields: Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, toValue(v)])),
    },
  };
}

function scalarOk(type: string, value: Json): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'bool':
      return typeof value === 'boolean';
    case 'double':
    case 'float':
      return (
        typeof value === 'number' ||
        (typeof value === 'string' && /^(-?Infinity|NaN|-?\d+(\.\d+)?([eE][-+]?\d+)?)$/.test(value))
      );
    case 'bytes':
      return typeof value === 'string' && /^[A-Za-z0-9+/_-]*={0,2}$/.test(value);
    default:
      if (INT32.has(type) || INT64.has(type)) {
        return (
          (typeof value === 'number' && Number.isInteger(value)) ||
          (typeof value === 'string' && /^-?\d+$/.test(value))
        );
      }
      return false;
  }
}

/** protoc's JSON name: the `json_name` option, else lowerCamelCase of the proto name. */
function jsonName(field: protobuf.Field): string {
  const explicit = field.options?.json_name as string | undefined;
  return explicit ?? field.name.replace(/_(.)/g, (_, c: string) => c.toUpperCase());
}

function ownField(type: protobuf.Type, name: string): protobuf.Field | undefined {
  return Object.hasOwn(type.fields, name) ? type.fields[name] : undefined;
}

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
