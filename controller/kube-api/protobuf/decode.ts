// Request bodies in Kubernetes' protobuf encoding (`application/vnd.kubernetes.protobuf`), which
// kubectl's typed clients use for every generator command (`kubectl create deployment|configmap|
// secret|namespace|job|cronjob|service|serviceaccount`, `kubectl run`, `kubectl expose`), decoded
// into the same JSON object the client would have sent as JSON, so the rest of the API sees no
// difference. Answers stay JSON: kubectl accepts it (its Accept lists application/json too).
//
// The body is the magic `k8s\0` and a runtime.Unknown envelope: the object's apiVersion and kind,
// and the object's own message in `raw`.
import * as protobuf from 'protobufjs';
import { badRequest } from '../status';
import { GoJsonEncoder, GoJsonError } from './go-json';
import { META_PACKAGE, PACKAGE_OF_GROUP_VERSION, kubeProtoSchema } from './schema';

export const KUBE_PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** The 4 bytes every Kubernetes protobuf body starts with. */
export const KUBE_PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Whether a Content-Type (parameters allowed) is Kubernetes' protobuf encoding. */
export function isKubeProtobuf(contentType: string): boolean {
  return contentType.split(';')[0]!.trim().toLowerCase() === KUBE_PROTOBUF;
}

/**
 * A Kubernetes protobuf request body as the JSON object Kubernetes' JSON encoding of the same
 * object would give (kind and apiVersion included). Throws a 400 `badRequest` naming what is wrong:
 * no magic, an envelope or object that does not decode, a kind it does not know.
 */
export function decodeKubeProtobuf(body: Buffer): unknown {
  if (body.length < KUBE_PROTOBUF_MAGIC.length || !body.subarray(0, KUBE_PROTOBUF_MAGIC.length).equals(KUBE_PROTOBUF_MAGIC)) {
    throw badRequest(`the protobuf request body does not start with the Kubernetes magic "k8s\\x00" (got ${JSON.stringify(body.subarray(0, 4).toString('latin1'))})`);
  }
  const schema = kubeProtoSchema();
  const envelope = decodeMessage(schema.root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown'), body.subarray(KUBE_PROTOBUF_MAGIC.length), 'the protobuf envelope (runtime.Unknown)') as {
    typeMeta?: { apiVersion?: string; kind?: string };
    raw?: Uint8Array;
    contentEncoding?: string;
  };
  const apiVersion = envelope.typeMeta?.apiVersion ?? '';
  const kind = envelope.typeMeta?.kind ?? '';
  if (!apiVersion || !kind) throw badRequest('the protobuf envelope names no apiVersion and kind (typeMeta)');
  if (envelope.contentEncoding) throw badRequest(`the protobuf envelope's contentEncoding ${JSON.stringify(envelope.contentEncoding)} is not supported`);
  const type = messageTypeOf(schema.root, apiVersion, kind);
  const what = `the protobuf ${kind} (${apiVersion})`;
  const message = decodeMessage(type, envelope.raw ?? new Uint8Array(), what);
  try {
    const object = new GoJsonEncoder(schema.goFields).message(type, message, kind) as Record<string, unknown>;
    return { kind, apiVersion, ...object };
  } catch (e) {
    if (e instanceof GoJsonError) throw badRequest(`${what} is not decodable: ${e.message}`);
    throw e;
  }
}

/** The message type of an apiVersion and kind: the group version's package, or meta/v1 for options such as DeleteOptions. */
function messageTypeOf(root: protobuf.Root, apiVersion: string, kind: string): protobuf.Type {
  const pkg = PACKAGE_OF_GROUP_VERSION[apiVersion];
  if (!pkg) throw badRequest(`the protobuf body is a ${kind} of ${apiVersion}, a group version Kite does not decode from protobuf (${Object.keys(PACKAGE_OF_GROUP_VERSION).join(', ')}); send JSON`);
  for (const candidate of [`${pkg}.${kind}`, `${META_PACKAGE}.${kind}`]) {
    const found = root.lookup(candidate);
    if (found instanceof protobuf.Type) return found;
  }
  throw badRequest(`the protobuf body is of unknown kind ${JSON.stringify(kind)} in ${apiVersion}`);
}

function decodeMessage(type: protobuf.Type, bytes: Uint8Array, what: string): protobuf.Message {
  try {
    return type.decode(bytes);
  } catch (e) {
    throw badRequest(`${what} is not decodable: ${(e as Error).message}`);
  }
}
