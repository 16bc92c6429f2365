import assert from 'node:assert/strict';
import { mergeComposeFiles } from '../../../common/compose/merge';
import { parseComposeText } from '../../../common/compose/read';

/** One service of a merged model. */
const service = (model: Record<string, unknown>, name: string) => (model.services as Record<string, Record<string, unknown>>)[name]!;

const merge = (...texts: string[]) => mergeComposeFiles(texts.map((t, i) => parseComposeText(t, `f${i}.yaml`)));

describe('Compose merge', () => {
  it('mappings merge key by key; scalars are overridden', () => {
    const m = merge('services:\n  web:\n    image: a\n    working_dir: /a\n', 'services:\n  web:\n    image: b\n    user: "1"\n');
    assert.deepEqual(m, { services: { web: { image: 'b', working_dir: '/a', user: '1' } } });
  });

  it('sequences append without duplicates (dns, expose)', () => {
    const m = merge('services:\n  w:\n    dns: [1.1.1.1]\n    expose: ["80"]\n', 'services:\n  w:\n    dns: [8.8.8.8, 1.1.1.1]\n    expose: ["81"]\n');
    assert.deepEqual(service(m, 'w'), { dns: ['1.1.1.1', '8.8.8.8'], expose: ['80', '81'] });
  });

  it('command, entrypoint and healthcheck.test are replaced, not appended', () => {
    const m = merge(
      'services:\n  w:\n    command: [echo, foo]\n    entrypoint: [a]\n    healthcheck: {test: [CMD, a], interval: 5s}\n',
      'services:\n  w:\n    command: [echo, bar]\n    entrypoint: [b]\n    healthcheck: {test: [CMD, b]}\n',
    );
    assert.deepEqual(service(m, 'w'), { command: ['echo', 'bar'], entrypoint: ['b'], healthcheck: { test: ['CMD', 'b'], interval: '5s' } });
  });

  it('ports merge on {ip, target, published, protocol}; volumes, secrets and configs on target', () => {
    const m = merge(
      'services:\n  w:\n    ports: ["8080:80"]\n    volumes: ["foo:/work", "/keep"]\n    secrets: [s1]\n',
      'services:\n  w:\n    ports: ["8080:80", "9090:90"]\n    volumes: ["bar:/work"]\n    secrets: [{source: s1, mode: 0o400}]\n',
    );
    assert.deepEqual(service(m, 'w'), { ports: ['8080:80', '9090:90'], volumes: ['bar:/work', '/keep'], secrets: [{ source: 's1', mode: 0o400 }] });
  });

  it('environment and labels in list and mapping forms merge as mappings', () => {
    const m = merge('services:\n  w:\n    environment: [A=1, B=2]\n    labels: {x: "1"}\n', 'services:\n  w:\n    environment: {B: "3", C: "4"}\n    labels: [y=2]\n');
    assert.deepEqual(service(m, 'w'), { environment: { A: '1', B: '3', C: '4' }, labels: { x: '1', y: '2' } });
  });

  it('depends_on short and long forms merge', () => {
    const m = merge('services:\n  w:\n    depends_on: [db]\n', 'services:\n  w:\n    depends_on: {cache: {condition: service_healthy}}\n');
    assert.deepEqual(service(m, 'w').depends_on, { db: { condition: 'service_started' }, cache: { condition: 'service_healthy' } });
  });

  it('!reset removes a value and !override replaces it whole', () => {
    const m = merge(
      'services:\n  w:\n    image: a\n    ports: ["8080:80"]\n    environment: {FOO: bar, KEEP: "1"}\n    volumes: ["a:/a"]\n',
      'services:\n  w:\n    ports: !reset []\n    environment:\n      FOO: !reset null\n    volumes: !override ["b:/b"]\n',
    );
    assert.deepEqual(service(m, 'w'), { image: 'a', environment: { KEEP: '1' }, volumes: ['b:/b'] });
  });
});
