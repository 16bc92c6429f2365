// Immutability rules kinds declare (Kubernetes' ValidateUpdate): fields an update may not change.
import type { KObject } from '../api/types';
import type { FieldIssue } from '../manifest/schema';
import type { KindDefinition } from './kind';
import { getPath, sameValue } from './paths';

export const IMMUTABLE = 'field is immutable';

/** An `immutable` rule refusing any change to the given dotted paths, one issue per changed path. */
export function immutablePaths(...paths: string[]): (current: KObject, next: KObject) => FieldIssue[] {
  return (current, next) =>
    paths.filter((p) => !sameValue(getPath(current, p), getPath(next, p))).map((path) => ({ path, message: IMMUTABLE }));
}

/**
 * The rule of ConfigMaps and Secrets marked `immutable: true` (Kubernetes' ValidateConfigMapUpdate):
 * once set, neither `paths` nor the mark itself may change; `always` paths never may.
 */
export function immutableOnceMarked(paths: string[], always: string[] = []): (current: KObject, next: KObject) => FieldIssue[] {
  const fixed = immutablePaths(...always);
  return (current, next) => {
    const issues = fixed(current, next);
    if ((current as { immutable?: boolean }).immutable !== true) return issues;
    for (const path of [...paths, 'immutable']) {
      if (!sameValue(getPath(current, path), getPath(next, path))) issues.push({ path, message: 'field is immutable when `immutable` is set' });
    }
    return issues;
  };
}

/** What an update may not change, per the kind's rule: empty when the update is allowed. */
export function immutableIssues(def: KindDefinition, current: KObject, next: KObject): FieldIssue[] {
  return def.immutable?.(current, next) ?? [];
}
