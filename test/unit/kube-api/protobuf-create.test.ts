// Create (POST) and replace (PUT) take Kubernetes protobuf bodies: the object the API service is
// handed is the decoded JSON, as if kubectl had sent JSON; other media types still get 415.
import assert from 'node:assert/strict';
import type * as http from 'node:http';
import { Readable } from 'node:stream';
import type { KObject } from '../../../common/api/types';
import type { ApiService } from '../../../controller/api/service';
import { parseApiPath, type ResourcePath } from '../../../controller/kube-api/paths';
import { KUBE_PROTOBUF_MAGIC } from '../../../controller/kube-api/protobuf/decode';
import { kubeProtoSchema } from '../../../controller/kube-api/protobuf/schema';
import { ResourceHandlers } from '../../../controller/kube-api/resources';
import { HttpError } from '../../../controller/kube-api/status';

/** `kubectl create configmap c --from-literal=a=1`, as kubectl 1.32.5 sent it. */
const CREATE_CONFIGMAP = 'azhzAAoPCgJ2MRIJQ29uZmlnTWFwEhsKEQoBYxIAGgAiACoAMgA4AEIAEgYKAWESATEaACIA';

/** An ApiService that records what it is asked to write and answers it back. */
function recordingApi() {
  const written: { verb: string; object: KObject }[] = [];
  const answer = async (verb: string, _caller: unknown, object: unknown, opts: { stamp?: (c: KObject | undefined, n: KObject) => KObject }) => {
    written.push({ verb, object: object as KObject });
    return { object: opts.stamp ? opts.stamp(undefined, object as KObject) : (object as KObject), warnings: [] };
  };
  const api = {
    create: (caller: unknown, object: unknown, opts: never) => answer('create', caller, object, opts),
    update: (caller: unknown, object: unknown, opts: never) => answer('update', caller, object, opts),
  } as unknown as ApiService;
  return { api, written };
}

function request(method: string, url: string, contentType: string, body: Buffer) {
  const u = new URL(url, 'https://kite');
  const req = Object.assign(Readable.from([body]), { headers: { 'content-type': contentType, 'content-length': String(body.length), 'user-agent': 'kubectl/v1.32.5' } }) as unknown as http.IncomingMessage;
  return { caller: { kind: 'user', name: 'admin' } as const, method, target: parseApiPath(u.pathname) as ResourcePath, query: u.searchParams, req, res: {} as http.ServerResponse };
}

function protobufConfigMap(name: string, data: Record<string, string>): Buffer {
  const { root } = kubeProtoSchema();
  const cm = root.lookupType('k8s.io.api.core.v1.ConfigMap');
  const unknown = root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
  const raw = cm.encode(cm.fromObject({ metadata: { name, namespace: '', creationTimestamp: {} }, data })).finish();
  return Buffer.concat([KUBE_PROTOBUF_MAGIC, unknown.encode(unknown.fromObject({ typeMeta: { apiVersion: 'v1', kind: 'ConfigMap' }, raw })).finish()]);
}

describe('kube-api create and replace with protobuf bodies', () => {
  it("POST: kubectl's protobuf ConfigMap reaches the API service as JSON, in the path's namespace", async () => {
    const { api, written } = recordingApi();
    const reply = await new ResourceHandlers(api).handle(
      request('POST', '/api/v1/namespaces/team/configmaps?fieldManager=kubectl-create&fieldValidation=Strict', 'application/vnd.kubernetes.protobuf', Buffer.from(CREATE_CONFIGMAP, 'base64')),
    );
    assert.ok('code' in reply && reply.code === 201);
    assert.equal(written.length, 1);
    assert.deepEqual(written[0]!.object, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c', creationTimestamp: null, namespace: 'team' }, data: { a: '1' } });
    const managed = ((reply as { body: KObject }).body.metadata as { managedFields?: { manager: string }[] }).managedFields;
    assert.equal(managed?.[0]?.manager, 'kubectl-create', 'the field manager is recorded as for JSON');
  });

  it('PUT: a protobuf body replaces, its name checked against the path', async () => {
    const { api, written } = recordingApi();
    const handlers = new ResourceHandlers(api);
    await handlers.handle(request('PUT', '/api/v1/namespaces/default/configmaps/c', 'application/vnd.kubernetes.protobuf', protobufConfigMap('c', { a: '2' })));
    assert.equal(written[0]!.verb, 'update');
    assert.deepEqual((written[0]!.object as { data?: unknown }).data, { a: '2' });
    await assert.rejects(
      handlers.handle(request('PUT', '/api/v1/namespaces/default/configmaps/other', 'application/vnd.kubernetes.protobuf', protobufConfigMap('c', {}))),
      (e: unknown) => e instanceof HttpError && e.code === 400 && /does not match the name on the URL/.test(e.message),
    );
  });

  it('a protobuf body of another kind than the path names is refused', async () => {
    const { api } = recordingApi();
    await assert.rejects(
      new ResourceHandlers(api).handle(request('POST', '/api/v1/namespaces/default/secrets', 'application/vnd.kubernetes.protobuf', Buffer.from(CREATE_CONFIGMAP, 'base64'))),
      (e: unknown) => e instanceof HttpError && e.code === 400 && /the body is a ConfigMap but the path names secrets/.test(e.message),
    );
  });

  it('a malformed protobuf body is a 400 naming it, JSON still works, other media types get 415', async () => {
    const { api, written } = recordingApi();
    const handlers = new ResourceHandlers(api);
    await assert.rejects(
      handlers.handle(request('POST', '/api/v1/namespaces/default/configmaps', 'application/vnd.kubernetes.protobuf', Buffer.from('{"kind":"ConfigMap"}'))),
      (e: unknown) => e instanceof HttpError && e.code === 400 && /Kubernetes magic/.test(e.message),
    );
    await handlers.handle(request('POST', '/api/v1/namespaces/default/configmaps', 'application/json', Buffer.from('{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"j"}}')));
    assert.equal(written.at(-1)?.object.metadata.name, 'j');
    await assert.rejects(
      handlers.handle(request('POST', '/api/v1/namespaces/default/configmaps', 'application/yaml', Buffer.from('kind: ConfigMap'))),
      (e: unknown) => e instanceof HttpError && e.code === 415,
    );
  });
});
