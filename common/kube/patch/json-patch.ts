// JSON patch (RFC 6902, application/json-patch+json): a list of operations (add, remove,
// replace, move, copy, test) applied in order, all or nothing, by fast-json-patch. Any failure (a
// `test` that does not hold, a path that does not resolve, a malformed operation) is a KiteError
// `Invalid` naming the operation's index and path.
// Pure: the inputs are never changed and the result shares nothing with them.

import { applyOperation, JsonPatchError, type Operation } from 'fast-json-patch';
import { errorMessage, invalid } from '../../errors';
import { isJsonObject } from './json-value';

/** What each of fast-json-patch's failures means, in the words a user needs. */
const REASONS: Record<string, string> = {
  TEST_OPERATION_FAILED: 'the value there is not the one the test expects',
  OPERATION_PATH_UNRESOLVABLE: 'nothing is at that path',
  OPERATION_FROM_UNRESOLVABLE: 'nothing is at its "from" path',
  OPERATION_PATH_CANNOT_ADD: 'the parent of that path does not exist',
  OPERATION_VALUE_OUT_OF_BOUNDS: 'the index is past the end of the list',
  OPERATION_PATH_ILLEGAL_ARRAY_INDEX: 'that is not a list index',
  OPERATION_OP_INVALID: '"op" must be add, remove, replace, move, copy or test',
  OPERATION_PATH_INVALID: '"path" must be a JSON pointer starting with "/"',
  OPERATION_FROM_REQUIRED: 'the operation needs a "from" path',
  OPERATION_VALUE_REQUIRED: 'the operation needs a "value"',
  OPERATION_VALUE_CANNOT_CONTAIN_UNDEFINED: 'the value holds something that is not JSON',
};

export function applyJsonPatch(original: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw invalid('json patch: the body must be a JSON list of operations');
  // Copies: fast-json-patch works in place and inserts the operations' values by reference.
  let document = structuredClone(original);
  structuredClone(operations).forEach((operation: unknown, index: number) => {
    const where = describe(operation, index);
    if (!isJsonObject(operation)) throw invalid(`json patch: ${where}: must be an object`);
    try {
      document = applyOperation(document, operation as unknown as Operation, true, true, true, index).newDocument;
    } catch (e) {
      const reason = e instanceof JsonPatchError ? (REASONS[e.name] ?? e.message) : errorMessage(e);
      throw invalid(`json patch: ${where}: ${reason}`);
    }
  });
  return document;
}

function describe(operation: unknown, index: number): string {
  if (!isJsonObject(operation)) return `operation ${index}`;
  const { op, path } = operation;
  return `operation ${index} (${typeof op === 'string' ? op : '?'} ${typeof path === 'string' ? JSON.stringify(path) : 'with no path'})`;
}
