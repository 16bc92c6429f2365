// Compose service volumes, short ("src:target[:mode]", "/target") and long syntax, as one shape.
import { invalid } from '../errors';

export interface VolumeUse {
  type: 'bind' | 'volume' | 'tmpfs' | 'other';
  /** Bind: the host path; volume: the named volume (absent: an anonymous volume). */
  source?: string;
  target: string;
  readOnly: boolean;
  /** The long syntax's type when it is one Kite does not map (npipe, image, cluster). */
  otherType?: string;
  tmpfsSize?: number | string;
}

/** A host path in the short syntax starts with /, ., ~ (or a Windows drive). */
const isPathLike = (s: string) => /^([/.~]|[A-Za-z]:[\\/])/.test(s);

function parseShort(spec: string): VolumeUse {
  const parts = spec.split(':');
  if (parts.length === 1) return { type: 'volume', target: parts[0]!, readOnly: false };
  const [source, target, mode] = parts;
  if (parts.length > 3 || !source || !target) throw invalid(`volume "${spec}": expected [SOURCE:]TARGET[:MODE]`);
  const modes = (mode ?? '').split(',');
  return { type: isPathLike(source) ? 'bind' : 'volume', source, target, readOnly: modes.includes('ro') };
}

function parseLong(o: Record<string, unknown>): VolumeUse {
  const type = String(o.type ?? 'volume');
  const target = String(o.target ?? '');
  if (!target) throw invalid(`volume ${JSON.stringify(o)}: target is required`);
  const readOnly = o.read_only === true || o.read_only === 'true';
  const source = o.source === undefined ? undefined : String(o.source);
  if (type === 'bind' || type === 'volume') return { type, source, target, readOnly };
  if (type === 'tmpfs') {
    const tmpfs = o.tmpfs as { size?: number | string } | undefined;
    return { type, target, readOnly, tmpfsSize: tmpfs?.size };
  }
  return { type: 'other', otherType: type, source, target, readOnly };
}

export function parseVolumeSpec(entry: unknown): VolumeUse {
  if (typeof entry === 'string') return parseShort(entry);
  if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) return parseLong(entry as Record<string, unknown>);
  throw invalid(`volume ${JSON.stringify(entry)}: expected a string or a mapping`);
}

/** The merge key of a volumes entry: its target. */
export function volumeTarget(entry: unknown): string {
  return parseVolumeSpec(entry).target;
}
