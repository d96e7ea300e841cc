/**
 * Two leniencies of proto3 JSON parsing that KFP's loaders have (Python `json_format.ParseDict` in the SDK,
 * Go `protojson.Unmarshal` in the backend), applied so Sluice accepts the same documents:
 * - `null` for a message or scalar field means "unset" (`inputDefinitions:` with nothing under it, or a
 *   `name:` left empty). Only google.protobuf.Value keeps null, as its NullValue.
 * - a field may be spelled with its proto name (`pipeline_info`) as well as its JSON name (`pipelineInfo`).
 *
 * The walk follows the zod schema, so map keys (task and component names) and free-form JSON (Struct and
 * Value contents) are never touched. Anything the schema does not know is kept as is, for the structural
 * check to report.
 */
import type { z } from 'zod';
import { childSchema, isFreeformJson, messageFields } from './schema-shape.ts';

export function normalizeProtoJson(value: unknown, schema: z.ZodType | undefined): unknown {
  if (schema === undefined || isFreeformJson(schema) !== undefined) return value;
  if (Array.isArray(value)) return value.map((item, i) => normalizeProtoJson(item, childSchema(schema, i)));
  if (!isPlainObject(value)) return value;
  const fields = messageFields(schema);
  const normalized: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const name = fields === undefined ? key : jsonName(key, fields, value);
    const itemSchema = childSchema(schema, name);
    if (
      fields !== undefined &&
      item === null &&
      itemSchema !== undefined &&
      isFreeformJson(itemSchema) !== 'value'
    ) {
      continue;
    }
    defineOwn(normalized, name, normalizeProtoJson(item, itemSchema));
  }
  return normalized;
}

/** `pipeline_info` → `pipelineInfo` when that is a field and the document does not also spell it so. */
function jsonName(key: string, fields: ReadonlyArray<string>, message: object): string {
  if (!key.includes('_') || fields.includes(key)) return key;
  const camel = key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return fields.includes(camel) && !Object.hasOwn(message, camel) ? camel : key;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Assignment that stays a plain own property even for a key named `__proto__`. */
function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
