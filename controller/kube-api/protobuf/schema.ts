// The Kubernetes protobuf schema Kite decodes with: the vendored generated.proto files (proto/,
// SOURCE.md says whence) loaded once with protobufjs, and go-fields.json, the facts about the Go
// types that the .proto files do not carry (JSON names, omitempty, pointers; see go-json.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as protobuf from 'protobufjs';

/** Where proto/ is, relative to the package root: the same in source and in dist/ runs. */
const PROTO_FROM_ROOT = path.join('controller', 'kube-api', 'protobuf', 'proto');

const PROTO_FILES = [
  'k8s.io/api/core/v1/generated.proto',
  'k8s.io/api/apps/v1/generated.proto',
  'k8s.io/api/batch/v1/generated.proto',
  'k8s.io/api/storage/v1/generated.proto',
  'k8s.io/api/policy/v1/generated.proto',
  'k8s.io/api/autoscaling/v1/generated.proto',
];

/** The proto package of each API group version whose objects can arrive as protobuf. */
export const PACKAGE_OF_GROUP_VERSION: Readonly<Record<string, string>> = {
  v1: 'k8s.io.api.core.v1',
  'apps/v1': 'k8s.io.api.apps.v1',
  'batch/v1': 'k8s.io.api.batch.v1',
  'storage.k8s.io/v1': 'k8s.io.api.storage.v1',
  'policy/v1': 'k8s.io.api.policy.v1',
  'autoscaling/v1': 'k8s.io.api.autoscaling.v1',
  'meta.k8s.io/v1': 'k8s.io.apimachinery.pkg.apis.meta.v1',
};

export const META_PACKAGE = 'k8s.io.apimachinery.pkg.apis.meta.v1';

/** A Go struct field as go-fields.json records it: proto field number, JSON name ('' = inlined), flags. */
export type GoField = readonly [number, string, string];

export interface KubeProtoSchema {
  root: protobuf.Root;
  /** By full message name without the leading dot, e.g. `k8s.io.api.core.v1.PodSpec`. */
  goFields: Readonly<Record<string, readonly GoField[]>>;
}

/**
 * proto/ is not compiled into dist/, so both `tsx controller/...` and `node dist/controller/...`
 * find it from the package root: the first ancestor of this module that has it.
 */
export function protoDir(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, PROTO_FROM_ROOT);
    if (fs.existsSync(path.join(candidate, PROTO_FILES[0]!))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`cannot find ${path.join(PROTO_FROM_ROOT, PROTO_FILES[0]!)} above ${from}`);
  }
}

let cached: KubeProtoSchema | undefined;

/** Loads the schema on first use (parsing the .proto files takes a moment; most API calls never need it). */
export function kubeProtoSchema(): KubeProtoSchema {
  if (!cached) {
    const dir = protoDir();
    const root = new protobuf.Root();
    // Imports name files as Go import paths (k8s.io/apimachinery/...), which is how proto/ is laid out.
    root.resolvePath = (_origin, target) => path.join(dir, target);
    root.loadSync(PROTO_FILES, { keepCase: true });
    root.resolveAll();
    const goFields = JSON.parse(fs.readFileSync(path.join(dir, 'go-fields.json'), 'utf8')) as Record<string, GoField[]>;
    cached = { root, goFields };
  }
  return cached;
}
