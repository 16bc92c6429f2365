import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { printObjects, toJson, toList, toYaml } from '../../../cli/print/output';
import { runningPod } from './fixtures';

describe('toJson', () => {
  it('prints 2-space JSON with keys sorted at every level and a trailing newline', () => {
    assert.equal(toJson({ kind: 'Pod', apiVersion: 'v1', metadata: { namespace: 'a', name: 'b' } }),
      '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "metadata": {\n    "name": "b",\n    "namespace": "a"\n  }\n}\n');
  });
});

describe('toYaml', () => {
  it('prints kubectl-style YAML: sorted keys, sequences flush with their key', () => {
    const pod = { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'web' }, spec: { containers: [{ name: 'app', image: 'nginx' }] } };
    assert.equal(toYaml(pod),
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - image: nginx\n    name: app\n');
  });

  it('keeps long strings on one line and quotes strings that look like numbers', () => {
    const long = 'x'.repeat(200);
    const out = toYaml({ data: { long, port: '8080' } });
    assert.equal(out, `data:\n  long: ${long}\n  port: "8080"\n`);
  });

  it('round-trips a resource', () => {
    const pod = runningPod('web');
    assert.deepEqual(parse(toYaml(pod)), JSON.parse(JSON.stringify(pod)));
  });
});

describe('lists', () => {
  it('wrap items in a v1 List as kubectl does', () => {
    assert.deepEqual(toList([1, 2]), { apiVersion: 'v1', kind: 'List', items: [1, 2], metadata: { resourceVersion: '' } });
  });

  it('printObjects prints an array as a List and a single object as itself', () => {
    const pod = runningPod('web');
    assert.deepEqual(JSON.parse(printObjects('json', [pod])).kind, 'List');
    assert.deepEqual(JSON.parse(printObjects('json', [pod])).items[0].metadata.name, 'web');
    assert.equal(parse(printObjects('yaml', pod)).kind, 'Pod');
  });
});
