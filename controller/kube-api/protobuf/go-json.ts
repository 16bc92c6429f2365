// A decoded Kubernetes protobuf message as the JSON the API server's Go types would encode it to:
// the object Kite would have received had the client sent JSON.
//
// The wire alone cannot say that: Go's protobuf encoder always writes non-pointer fields (an empty
// restartPolicy, a zero minReadySeconds), and only Go's `json:",omitempty"` tag decides whether
// JSON shows them; a pointer field is on the wire exactly when it is set (replicas: 0 is real).
// go-fields.json records those facts per field, in Go struct order, so the rules here are Go's:
//  - scalars: a pointer appears when set; a plain field unless it is zero and omitempty;
//  - slices, maps and `[]byte`: omitted when empty and omitempty, else `null` when empty
//    (a nil slice after decoding); bytes as base64; map keys sorted, as encoding/json does;
//  - structs: always encoded (omitempty never drops a struct), `json:",inline"` ones merged into
//    their parent; a missing one is its zero value;
//  - types with their own MarshalJSON: Time and MicroTime (RFC 3339, null when zero), Duration
//    (Go's "1m30s"), Quantity (its string, "0" when zero), IntOrString (number or string),
//    RawExtension and FieldsV1 (the JSON they carry, null when empty).
import * as protobuf from 'protobufjs';
import type { GoField } from './schema';

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
type Special = (fields: Record<string, unknown>, what: string) => unknown;

/** Messages whose Go types marshal themselves; keyed by full name without the leading dot. */
const SPECIAL: Record<string, Special> = {
  [`${META}.Time`]: (f) => rfc3339(f, 0),
  [`${META}.MicroTime`]: (f) => rfc3339(f, 6),
  [`${META}.Duration`]: (f) => goDuration(toNumber(f.duration ?? 0)),
  'k8s.io.apimachinery.pkg.api.resource.Quantity': (f) => (typeof f.string === 'string' && f.string !== '' ? f.string : '0'),
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString': (f) => (toNumber(f.type ?? 0) === 1 ? String(f.strVal ?? '') : toNumber(f.intVal ?? 0)),
  'k8s.io.apimachinery.pkg.runtime.RawExtension': (f, what) => embeddedJson(f.raw, what),
  [`${META}.FieldsV1`]: (f, what) => embeddedJson(f.Raw, what),
};

export class GoJsonError extends Error {}

export class GoJsonEncoder {
  constructor(private readonly goFields: Readonly<Record<string, readonly GoField[]>>) {}

  /** `message` is what protobufjs decoded (undefined: the zero value); `what` names the place for errors. */
  message(type: protobuf.Type, message: protobuf.Message | undefined, what: string): unknown {
    const name = type.fullName.replace(/^\./, '');
    const fields = (message ?? {}) as Record<string, unknown>;
    const special = SPECIAL[name];
    if (special) return special(presentFields(fields), what);
    const out: Record<string, unknown> = {};
    for (const [id, jsonName, flags] of this.fieldsOf(type, name)) {
      const field = type.fieldsById[id];
      if (!field || flags.includes('-')) continue;
      const present = Object.prototype.hasOwnProperty.call(fields, field.name);
      const value = this.field(field, present ? fields[field.name] : undefined, present, flags, `${what}.${jsonName || field.name}`);
      if (value === OMIT) continue;
      if (jsonName === '') Object.assign(out, value);
      else out[jsonName] = value;
    }
    return out;
  }

  private field(field: protobuf.Field, raw: unknown, present: boolean, flags: string, what: string): unknown {
    const omitEmpty = flags.includes('o');
    const pointer = flags.includes('p');
    if (field.map) {
      const entries = Object.entries((raw ?? {}) as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      if (!entries.length) return omitEmpty ? OMIT : null;
      return Object.fromEntries(entries.map(([k, v]) => [k, this.value(field, v, `${what}[${JSON.stringify(k)}]`)]));
    }
    if (field.repeated) {
      const items = (raw ?? []) as unknown[];
      if (!items.length) return omitEmpty ? OMIT : null;
      return items.map((v, i) => this.value(field, v, `${what}[${i}]`));
    }
    if (field.type === 'bytes') {
      // []byte is a slice in Go: nil and empty look alike on the wire.
      const bytes = raw as Uint8Array | undefined;
      if (!bytes || !bytes.length) return omitEmpty ? OMIT : null;
      return base64(bytes);
    }
    if (pointer && !present) return omitEmpty ? OMIT : null;
    const type = field.resolvedType;
    if (type instanceof protobuf.Type) return this.message(type, raw as protobuf.Message | undefined, what);
    const value = present ? this.value(field, raw, what) : zeroOf(field);
    if (!pointer && omitEmpty && isZero(value)) return OMIT;
    return value;
  }

  /** One value of a field (an element, for repeated and map fields). */
  private value(field: protobuf.Field, raw: unknown, what: string): unknown {
    const type = field.resolvedType;
    if (type instanceof protobuf.Type) return this.message(type, raw as protobuf.Message, what);
    if (type instanceof protobuf.Enum) return typeof raw === 'number' ? (type.valuesById[raw] ?? raw) : raw;
    if (field.type === 'bytes') return base64(raw as Uint8Array);
    if (LONG_TYPES.has(field.type)) return toNumber(raw);
    return raw;
  }

  /** The message's fields in Go struct order; ones go-fields.json lacks follow as optional pointers. */
  private fieldsOf(type: protobuf.Type, name: string): readonly GoField[] {
    const known = this.goFields[name] ?? [];
    const ids = new Set(known.map(([id]) => id));
    const rest = type.fieldsArray.filter((f) => !ids.has(f.id)).map((f): GoField => [f.id, f.name, f.repeated || f.map ? 'o' : 'op']);
    return rest.length ? [...known, ...rest] : known;
  }
}

const OMIT = Symbol('omit');
const LONG_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

/** The fields the wire carried: a decoded message's own properties (its prototype holds the defaults). */
function presentFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(fields)) out[key] = fields[key];
  return out;
}

function zeroOf(field: protobuf.Field): unknown {
  if (field.type === 'string') return '';
  if (field.type === 'bool') return false;
  return 0;
}

function isZero(v: unknown): boolean {
  return v === '' || v === 0 || v === false;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** int64 values arrive as Long objects (or numbers); JSON has them as numbers. */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Number(v);
  if (v && typeof v === 'object' && 'low' in v && 'high' in v) {
    const long = v as { low: number; high: number; unsigned?: boolean };
    return protobuf.util.LongBits.from(long as unknown as protobuf.Long).toNumber(Boolean(long.unsigned));
  }
  return Number(v);
}

/**
 * metav1.Time (digits 0: RFC 3339 in seconds) and MicroTime (6: microseconds), UTC. Go writes a
 * zero time as an empty message (null in JSON); the Unix epoch has its fields, zero, written.
 */
function rfc3339(f: Record<string, unknown>, digits: 0 | 6): string | null {
  if (!('seconds' in f) && !('nanos' in f)) return null;
  const seconds = toNumber(f.seconds ?? 0);
  const nanos = toNumber(f.nanos ?? 0);
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  return digits === 0 ? `${base}Z` : `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}

/** Go's time.Duration.String(): "0s", "1.5s", "2m0s", "1h0m0s", "300ms", "2µs", "7ns". */
export function goDuration(nanos: number): string {
  if (nanos === 0) return '0s';
  const sign = nanos < 0 ? '-' : '';
  let n = Math.abs(nanos);
  if (n < 1e9) {
    const [unit, size] = n < 1e3 ? ['ns', 1] : n < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    return `${sign}${trimFraction(n, size)}${unit}`;
  }
  const hours = Math.floor(n / 3600e9);
  n -= hours * 3600e9;
  const minutes = Math.floor(n / 60e9);
  n -= minutes * 60e9;
  const seconds = `${trimFraction(n, 1e9)}s`;
  if (hours) return `${sign}${hours}h${minutes}m${seconds}`;
  if (minutes) return `${sign}${minutes}m${seconds}`;
  return `${sign}${seconds}`;
}

/** n / size with the fraction's trailing zeros dropped (exact: integer arithmetic on the parts). */
function trimFraction(n: number, size: number): string {
  const whole = Math.floor(n / size);
  const rest = n - whole * size;
  if (!rest) return String(whole);
  const width = String(size).length - 1;
  return `${whole}.${String(rest).padStart(width, '0').replace(/0+$/, '')}`;
}

/** RawExtension and FieldsV1 carry JSON; Go writes those bytes as they are, and nothing when empty. */
function embeddedJson(raw: unknown, what: string): unknown {
  const bytes = raw as Uint8Array | undefined;
  if (!bytes || !bytes.length) return null;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new GoJsonError(`${what} carries bytes that are not JSON (only JSON embedded objects are supported)`);
  }
}
