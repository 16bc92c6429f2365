// How objects are stored: JSON without resourceVersion (that is the key's etcd mod revision,
// injected on read so it can never disagree with the store).
import type { KObject } from '../../common/api/types';

export function encode(obj: KObject): string {
  const { resourceVersion: _rv, ...metadata } = obj.metadata;
  return JSON.stringify({ ...obj, metadata });
}

export function decode<T extends KObject = KObject>(value: Buffer | string, modRevision: string): T {
  const obj = JSON.parse(typeof value === 'string' ? value : value.toString('utf8')) as T;
  obj.metadata.resourceVersion = modRevision;
  return obj;
}
