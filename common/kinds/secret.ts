// Secret: like a ConfigMap, for credentials; values are base64 in `data`.
import type { Secret } from '../api/types';
import { dataSizeHook, secretBase64Value, secretStringValue } from '../manifest/data-fields';
import { S, base } from '../manifest/fields';
import { configKeyError, dns1123SubdomainError } from '../manifest/names';
import { child, setDefault } from '../manifest/pod-defaults';
import { type Obj, isObj } from '../manifest/schema';
import { ageOf } from '../print/age';
import { immutableOnceMarked } from './immutable';
import type { KindDefinition } from './kind';

/** Keys a Secret holds; stringData (write-only in Kubernetes) is merged into data by the server. */
export function secretKeys(s: Secret): string[] {
  return [...new Set([...Object.keys(s.data ?? {}), ...Object.keys(s.stringData ?? {})])].sort();
}

export const secretKind: KindDefinition<Secret> = {
  kind: 'Secret',
  apiVersion: 'v1',
  plural: 'secrets',
  singular: 'secret',
  shortNames: [],
  namespaced: true,
  schema: S.obj(
    { ...base, immutable: S.bool, type: S.nonEmpty(), data: S.map(secretBase64Value, configKeyError), stringData: S.map(secretStringValue, configKeyError) },
    { hook: dataSizeHook(['data', 'stringData']) },
  ),
  nameRule: dns1123SubdomainError,
  immutable: immutableOnceMarked(['data'], ['type']),
  /** stringData is write-only convenience: its values are base64-encoded into data, overriding the same keys. */
  defaults(secret) {
    const o = secret as unknown as Obj;
    setDefault(o, 'type', 'Opaque');
    if (!isObj(o.stringData)) return;
    const data = child(o, 'data');
    for (const [k, v] of Object.entries(o.stringData)) {
      if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
    }
    delete o.stringData;
  },
  table: {
    columns: [{ name: 'NAME' }, { name: 'TYPE' }, { name: 'DATA' }, { name: 'AGE' }],
    cells: (s, now) => [s.metadata.name, s.type || 'Opaque', String(secretKeys(s).length), ageOf(s, now)],
  },
};
