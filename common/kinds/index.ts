// The kind registry and the update rules kinds declare.
export type { KindDefinition, KindTable, TableColumn } from './kind';
export { DEFAULT_NAMESPACE, KINDS, kindDefinition, kindInfo, lookupKind, requireKind, type KindInfo } from './registry';
export { IMMUTABLE, immutableIssues, immutablePaths } from './immutable';
export { keepSystemFields } from './system-fields';
