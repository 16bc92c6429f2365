// Namespace, label and field filtering of store objects, shared by list and watch.
import type { KObject } from '../../common/api/types';
import { parseSelector, parseFieldSelector } from '../../common/manifest/selector';
import type { ListOptions } from './types';

export type ObjectFilter = (obj: KObject) => boolean;

export function compileFilter(opts: ListOptions): ObjectFilter | undefined {
  const ns = opts.namespace || undefined;
  const labels = opts.labelSelector ? parseSelector(opts.labelSelector) : undefined;
  const fields = opts.fieldSelector ? parseFieldSelector(opts.fieldSelector) : undefined;
  if (!ns && !labels && !fields) return undefined;
  return (obj) =>
    (!ns || obj.metadata.namespace === ns) &&
    (!labels || labels.matches(obj.metadata.labels)) &&
    (!fields || fields.matchesFields(obj));
}
