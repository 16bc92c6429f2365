import assert from 'node:assert/strict';
import { KINDS } from '../../../common/kinds/registry';
import { NO_EFFECT_FIELDS, hasNoEffectReason, noEffectMessage } from '../../../common/manifest/no-effect';
import type { Schema } from '../../../common/manifest/schema';

/** Every field any kind's schema lists as accepted-but-ignored, with where it was seen. */
function ignoredFields(): Map<string, string> {
  const found = new Map<string, string>();
  const seen = new Set<Schema>();
  const walk = (s: Schema, path: string) => {
    if (seen.has(s)) return;
    seen.add(s);
    if (s.t === 'object') {
      for (const k of s.unsupported ?? []) if (!found.has(k)) found.set(k, `${path}.${k}`);
      for (const [k, f] of Object.entries(s.fields)) walk(f, `${path}.${k}`);
    } else if (s.t === 'array') walk(s.items, `${path}[]`);
    else if (s.t === 'map') walk(s.values, `${path}{}`);
  };
  for (const k of KINDS) walk(k.schema, k.kind);
  return found;
}

describe('fields with no effect', () => {
  it('every ignored field of every kind says why it has no effect', () => {
    const missing = [...ignoredFields()].filter(([k]) => !hasNoEffectReason(k)).map(([, where]) => where);
    assert.deepEqual(missing, [], `add a reason to common/manifest/no-effect.ts for: ${missing.join(', ')}`);
  });

  it('keeps no reason for a field no schema ignores any more (it was implemented)', () => {
    const ignored = ignoredFields();
    const stale = NO_EFFECT_FIELDS.filter((k) => !ignored.has(k));
    assert.deepEqual(stale, [], `remove from common/manifest/no-effect.ts: ${stale.join(', ')}`);
  });

  it('words the warning as an effect, not as a bare "not supported"', () => {
    assert.match(noEffectMessage('priorityClassName'), /^has no effect in Kite: Kite does not preempt/);
  });
});
