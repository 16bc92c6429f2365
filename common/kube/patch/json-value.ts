// The little the patch formats need to know about JSON values.

export type JsonObject = Record<string, unknown>;

/** A JSON object: not null, not a list. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string, number or boolean: what a set list holds and what merge keys are. */
export function isJsonPrimitive(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/**
 * Sets `key` as an own field even when it is `__proto__`: a patch body comes from the network,
 * and a plain assignment of that key would change the object's prototype instead.
 */
export function setField(target: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
