// ConfigMap: configuration data for pods, as environment variables or files.
import type { ConfigMap } from '../api/types';
import { base64Value, dataSizeHook } from '../manifest/data-fields';
import { S, base } from '../manifest/fields';
import { configKeyError, dns1123SubdomainError } from '../manifest/names';
import { ageOf } from '../print/age';
import { immutableOnceMarked } from './immutable';
import type { KindDefinition } from './kind';

export const configMapKind: KindDefinition<ConfigMap> = {
  kind: 'ConfigMap',
  apiVersion: 'v1',
  plural: 'configmaps',
  singular: 'configmap',
  shortNames: ['cm'],
  namespaced: true,
  schema: S.obj(
    { ...base, immutable: S.bool, data: S.map(S.str(), configKeyError), binaryData: S.map(base64Value, configKeyError) },
    { hook: dataSizeHook(['data', 'binaryData']) },
  ),
  nameRule: dns1123SubdomainError,
  immutable: immutableOnceMarked(['data', 'binaryData']),
  table: {
    columns: [{ name: 'NAME' }, { name: 'DATA' }, { name: 'AGE' }],
    cells: (cm, now) => [
      cm.metadata.name,
      String(Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length),
      ageOf(cm, now),
    ],
  },
};
