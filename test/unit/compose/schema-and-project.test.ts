import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isKiteError } from '../../../common/errors';
import { loadComposeProject } from '../../../common/compose';
import { schemaProblems } from '../../../common/compose/schema';
import { isComposeText } from '../../../common/compose/read';
import { normaliseProjectName } from '../../../common/compose/names';

/** One service of a merged model. */
const service = (model: Record<string, unknown>, name: string) => (model.services as Record<string, Record<string, unknown>>)[name]!;

function projectDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-compose-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (isKiteError(e, 'Invalid')) return e.details.length ? e.details : [e.message];
    throw e;
  }
  assert.fail('expected an Invalid error');
}

describe('Compose schema validation', () => {
  it('names the file, the service and the key path', () => {
    assert.deepEqual(schemaProblems({ services: { web: { image: 'x', ports: [{ target: 'eighty', bogus: 1 }] } } }, 'compose.yaml'), [
      'compose.yaml: services.web.ports[0]: "bogus" is not allowed (not a Compose key)',
    ]);
    assert.deepEqual(schemaProblems({ services: { web: { image: 'x', restartt: 'always' } } }, 'compose.yaml'), ['compose.yaml: services.web: "restartt" is not allowed (not a Compose key)']);
    assert.deepEqual(schemaProblems({ services: { web: { image: 'x', privileged: [1] } } }, 'c.yml'), ['c.yml: services.web.privileged: must be a boolean or a string']);
  });

  it('a valid file has no problems, x- extensions included', () => {
    assert.deepEqual(schemaProblems({ 'x-common': { a: 1 }, services: { web: { image: 'x', ports: ['80:80'], deploy: { replicas: 2 } } } }, 'c.yaml'), []);
  });

  it('loading reports the problems of every file, before any conversion', () => {
    const dir = projectDir({ 'compose.yaml': 'services:\n  web:\n    image: a\n', 'override.yaml': 'services:\n  web:\n    imagee: b\n' });
    const problems = problemsOf(() => loadComposeProject([path.join(dir, 'compose.yaml'), path.join(dir, 'override.yaml')]));
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /override\.yaml: services\.web: "imagee" is not allowed/);
  });
});

describe('Compose project loading', () => {
  it('.env beside the first file, under the process environment; the project name from the directory', () => {
    const dir = projectDir({ '.env': 'TAG=from-dotenv\nPORT=8080\n', 'compose.yaml': 'services:\n  web:\n    image: "nginx:${TAG}"\n    ports: ["${PORT}:80"]\n' });
    const p = loadComposeProject([path.join(dir, 'compose.yaml')], { env: { PORT: '9090' } });
    assert.deepEqual(service(p.model, 'web'), { image: 'nginx:from-dotenv', ports: ['9090:80'] });
    assert.equal(p.name, normaliseProjectName(path.basename(dir)));
  });

  it('the project name: -p over name: over the directory, normalised as Compose does', () => {
    const dir = projectDir({ 'compose.yaml': 'name: My.App_1\nservices:\n  web:\n    image: a\n' });
    assert.equal(loadComposeProject([path.join(dir, 'compose.yaml')], { env: {} }).name, 'myapp_1');
    assert.equal(loadComposeProject([path.join(dir, 'compose.yaml')], { env: {}, projectName: 'Other' }).name, 'other');
  });

  it('recognises Compose text by content, and Kubernetes manifests as not Compose', () => {
    assert.equal(isComposeText('services:\n  web:\n    image: a\n', 'app.yaml'), true);
    assert.equal(isComposeText('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n', 'app.yaml'), false);
    assert.equal(isComposeText('apiVersion: v1\nkind: Weird\nservices: {}\n', 'app.yaml'), false);
    assert.equal(isComposeText('anything', 'docker-compose.yml'), true);
  });
});
