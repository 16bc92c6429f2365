// Regenerates go-fields.json: the facts about Kubernetes' Go types that the .proto files do not
// carry but that decide what their JSON encoding looks like (see ../decode.ts). Run from this
// folder against checkouts of kubernetes/api and kubernetes/apimachinery at the tags SOURCE.md names:
//   node extract-go-fields.mjs /path/to/api /path/to/apimachinery > go-fields.json
// For every Go struct field with a `protobuf:"..."` tag it records, keyed by the message's full
// proto name and the field's number: the JSON name ("" when the field is inlined with
// `json:",inline"`), and flags: o = `omitempty`, p = a pointer (nil when absent from the wire),
// - = `json:"-"` (never in JSON).
import * as fs from 'node:fs';
import * as path from 'node:path';

const [apiDir, machineryDir] = process.argv.slice(2);
if (!apiDir || !machineryDir) {
  console.error('usage: node extract-go-fields.mjs API_DIR APIMACHINERY_DIR');
  process.exit(2);
}

const PACKAGES = [
  [apiDir, 'core/v1', 'k8s.io.api.core.v1'],
  [apiDir, 'apps/v1', 'k8s.io.api.apps.v1'],
  [apiDir, 'batch/v1', 'k8s.io.api.batch.v1'],
  [apiDir, 'storage/v1', 'k8s.io.api.storage.v1'],
  [apiDir, 'policy/v1', 'k8s.io.api.policy.v1'],
  [apiDir, 'autoscaling/v1', 'k8s.io.api.autoscaling.v1'],
  [machineryDir, 'pkg/apis/meta/v1', 'k8s.io.apimachinery.pkg.apis.meta.v1'],
];

const messages = {};
for (const [root, dir, protoPackage] of PACKAGES) {
  const files = fs.readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go') && !f.startsWith('generated') && !f.startsWith('zz_'));
  for (const file of files.sort()) {
    const lines = fs.readFileSync(path.join(root, dir, file), 'utf8').split('\n');
    let current;
    for (const line of lines) {
      const start = /^type (\w+) struct \{/.exec(line);
      if (start) {
        current = [];
        messages[`${protoPackage}.${start[1]}`] = current;
        continue;
      }
      if (!current) continue;
      if (/^\}/.test(line)) {
        current = undefined;
        continue;
      }
      const field = /^\t(?:(\w+)\s+)?(\S+)\s+`([^`]*)`\s*$/.exec(line);
      if (!field) continue;
      const [, name, type, tags] = field;
      const proto = /protobuf:"[a-z0-9]+,(\d+),/.exec(tags);
      if (!proto) continue;
      const json = /json:"([^"]*)"/.exec(tags)?.[1] ?? name ?? type;
      const [jsonName, ...options] = json.split(',');
      let flags = '';
      if (options.includes('omitempty')) flags += 'o';
      if (type.startsWith('*')) flags += 'p';
      if (jsonName === '-') flags += '-';
      const inline = options.includes('inline') && !jsonName;
      current.push([Number(proto[1]), inline ? '' : jsonName || name || type, flags]);
    }
  }
}
for (const [key, fields] of Object.entries(messages)) if (!fields.length) delete messages[key];

const out = JSON.stringify(messages, null, 0).replace(/\],"/g, '],\n"');
process.stdout.write(out + '\n');
