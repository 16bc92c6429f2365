// Server-side printing: a kind's `kite get` table as a meta.k8s.io/v1 Table, which kubectl prints
// as it is (`kubectl get`, `-o wide`, `get -w`). The columns and cells are the kind's own
// (common/kinds/), so kubectl and kite print the same table.
import type { KObject, ObjectMeta } from '../../common/api/types';
import type { KindDefinition, TableColumn } from '../../common/kinds/kind';
import { prefersTransform } from './discovery';

export type IncludeObjectPolicy = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  /** What each row's `object` carries: nothing, the metadata (the default), or the whole object. */
  includeObject: IncludeObjectPolicy;
  resourceVersion: string;
  continue?: string;
  /** Current time in ms, for AGE columns. */
  now: number;
}

export interface TableColumnDefinition {
  name: string;
  type: 'string' | 'integer';
  format: '' | 'name';
  description: string;
  /** 0: always shown; 1: only with `-o wide`. */
  priority: 0 | 1;
}

export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: 'meta.k8s.io/v1';
  metadata: ObjectMeta;
}

export interface TableRow {
  cells: (string | number)[];
  object?: PartialObjectMetadata | KObject;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion: string; continue?: string };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

/** The Content-Type of a Table answer. */
export const TABLE_CONTENT_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

/**
 * Whether the request's Accept asks for a Table (kubectl's
 * `application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json`).
 * Only meta.k8s.io/v1 Tables are produced: a client asking for v1beta1 alone gets plain JSON.
 */
export function wantsTable(accept: string | undefined): boolean {
  return prefersTransform(accept, { kind: 'Table', group: 'meta.k8s.io', version: 'v1' });
}

/** The `includeObject` query parameter; undefined for a value Kubernetes would refuse. */
export function parseIncludeObject(value: string | null | undefined): IncludeObjectPolicy | undefined {
  if (value === null || value === undefined || value === '') return 'Metadata';
  return value === 'None' || value === 'Metadata' || value === 'Object' ? value : undefined;
}

/**
 * Kubernetes' names for the columns (kubectl upper-cases them when it prints, so they print as
 * kite's); other clients show these. A name not listed is capitalised word by word.
 */
const KUBE_COLUMN_NAMES: ReadonlyMap<string, string> = new Map(
  [
    'Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Up-to-date', 'Available', 'Containers', 'Images', 'Selector',
    'Desired', 'Current', 'Node Selector', 'Completions', 'Duration', 'Schedule', 'Timezone', 'Suspend', 'Active',
    'Last Schedule', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Endpoints', 'Data', 'Secrets', 'Volume', 'Capacity',
    'Access Modes', 'StorageClass', 'VolumeAttributesClass', 'VolumeMode', 'Reclaim Policy', 'Claim', 'Reason',
    'Provisioner', 'ReclaimPolicy', 'VolumeBindingMode', 'AllowVolumeExpansion', 'Roles', 'Version', 'Internal-IP',
    'OS-Image', 'Kernel-Version', 'Container-Runtime', 'Last Seen', 'Object', 'Message',
  ].map((n) => [n.toUpperCase(), n]),
);

/** Columns Kubernetes types as integers (counts); their cells are sent as numbers. */
const INTEGER_COLUMNS = new Set(['DESIRED', 'CURRENT', 'UP-TO-DATE', 'AVAILABLE', 'DATA', 'SECRETS', 'ACTIVE']);

function kubeColumnName(name: string): string {
  return KUBE_COLUMN_NAMES.get(name.toUpperCase()) ?? name.toLowerCase().replace(/(^|[\s-])(\S)/g, (_, sep: string, c: string) => sep + c.toUpperCase());
}

function columnDefinition(c: TableColumn): TableColumnDefinition {
  const upper = c.name.toUpperCase();
  return {
    name: kubeColumnName(c.name),
    type: INTEGER_COLUMNS.has(upper) ? 'integer' : 'string',
    format: upper === 'NAME' ? 'name' : '',
    description: '',
    priority: c.wide ? 1 : 0,
  };
}

/** The column definitions of a kind's table, as kubectl reads them. */
export function tableColumns(def: KindDefinition): TableColumnDefinition[] {
  return def.table.columns.map(columnDefinition);
}

function rowObject(obj: KObject, policy: IncludeObjectPolicy): PartialObjectMetadata | KObject | undefined {
  if (policy === 'None') return undefined;
  if (policy === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

/**
 * The Table of `objects` (all of kind `def`), rows in the kind's order when it has one. There is
 * no NAMESPACE column: kubectl adds it itself for `-A`, from each row's object metadata (which is
 * why rows carry PartialObjectMetadata by default).
 */
export function toTable(def: KindDefinition, objects: readonly KObject[], opts: TableOptions): Table {
  const columns = tableColumns(def);
  const ordered = def.table.order ? def.table.order(objects) : objects;
  const rows = ordered.map((obj): TableRow => {
    const cells: (string | number)[] = def.table.cells(obj, opts.now).map((cell, i) => (columns[i]?.type === 'integer' && /^-?\d+$/.test(cell) ? Number(cell) : cell));
    const object = rowObject(obj, opts.includeObject);
    return object ? { cells, object } : { cells };
  });
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: opts.resourceVersion, ...(opts.continue ? { continue: opts.continue } : {}) },
    columnDefinitions: columns,
    rows,
  };
}
