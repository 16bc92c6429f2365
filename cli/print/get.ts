// `kite get` tables, column for column as `kubectl get` prints them. The columns of each kind
// are part of its definition (common/kinds/); this renders them.
import type { KObject } from '../../common/api/types';
import type { KindTable } from '../../common/kinds/kind';
import { lookupKind } from '../../common/kinds/registry';
import { ageOf } from '../../common/print/age';
import { renderTable } from './table';

export interface GetOptions {
  /** `-o wide`: extra columns. */
  wide?: boolean;
  /** `-A`: a leading NAMESPACE column. */
  allNamespaces?: boolean;
  /** Current time in ms, for AGE columns. */
  now: number;
}

/** Kinds Kite does not know get NAME and AGE. */
const generic: KindTable = {
  columns: [{ name: 'NAME' }, { name: 'AGE' }],
  cells: (o, now) => [o.metadata.name, ageOf(o, now)],
};

/**
 * The `kubectl get` table for objects of one kind. `kind` is anything the CLI accepts
 * ("pods", "po", "Pod"); unknown kinds get NAME and AGE. Objects keep the caller's order,
 * unless the kind orders its rows (events: by last seen). Returns "" for an empty list (print
 * `noResourcesMessage` then), else text ending in "\n".
 */
export function printGet(kind: string, objects: readonly KObject[], opts: GetOptions): string {
  if (objects.length === 0) return '';
  const table = lookupKind(kind)?.table ?? generic;
  const list = table.order ? table.order(objects) : objects;
  const shown = table.columns.map((c) => !c.wide || !!opts.wide);

  const headers = [...(opts.allNamespaces ? ['NAMESPACE'] : []), ...table.columns.filter((_, i) => shown[i]).map((c) => c.name)];
  const rows = list.map((o) => [
    ...(opts.allNamespaces ? [o.metadata.namespace ?? ''] : []),
    ...table.cells(o, opts.now).filter((_, i) => shown[i]),
  ]);
  return renderTable(headers, rows);
}

/** What kubectl prints (to stderr) for an empty list; `namespace` undefined means all namespaces. */
export function noResourcesMessage(namespace: string | undefined): string {
  return namespace === undefined ? 'No resources found' : `No resources found in ${namespace} namespace.`;
}
