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

/** What an update may not change, per the kind's rule: empty when the update is allowed. */
export function immutableIssues(def: KindDefinition, current: KObject, next: KObject): FieldIssue[] {
  return def.immutable?.(current, next) ?? [];
}
