import assert from 'node:assert/strict';
import { isKiteError, type KiteError } from '../../../common/errors';
import { MAX_MANIFEST_BYTES, parseManifests } from '../../../common/manifest/parse';

function parseError(text: string | Buffer, source = 'web.yaml'): KiteError {
  try {
    parseManifests(text, source);
  } catch (e) {
    assert.ok(isKiteError(e, 'Invalid'), `expected an Invalid KiteError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected parseManifests to throw');
}

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n`;

describe('parseManifests', () => {
  it('reads every YAML document with its 1-based number and starting line', () => {
    const docs = parseManifests(`${cm('one')}---\n${cm('two')}`, 'web.yaml');
    assert.deepEqual(
      docs.map((d) => [d.source, d.index, d.line, d.object.metadata.name]),
      [
        ['web.yaml', 1, 1, 'one'],
        ['web.yaml', 2, 8, 'two'],
      ],
    );
    assert.deepEqual(docs[0]?.object.data, { a: '1' });
  });

  it('skips empty documents such as a trailing ---, keeping the numbering of the file', () => {
    const docs = parseManifests(`---\n# only a comment\n---\n${cm('one')}---\n`, 'web.yaml');
    assert.equal(docs.length, 1);
    assert.equal(docs[0]?.index, 2);
  });

  it('rejects input with no objects at all', () => {
    assert.equal(parseError('---\n# nothing\n---\n').message, 'web.yaml: no objects found');
    assert.equal(parseError('').message, 'web.yaml: no objects found');
  });

  it('reports YAML syntax errors with document, line and column', () => {
    const e = parseError(`${cm('one')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n   bad: [\n`);
    assert.match(e.message, /^web\.yaml: document 2: YAML error at line \d+, column \d+: /);
    assert.ok(e.details.length >= 1);
  });

  it('reads a single JSON object, a JSON List and a JSON array', () => {
    const obj = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } };
    assert.equal(parseManifests(JSON.stringify(obj), 'ns.json')[0]?.object.metadata.name, 'team');
    const list = { apiVersion: 'v1', kind: 'List', items: [obj, { ...obj, metadata: { name: 'other' } }] };
    const docs = parseManifests(JSON.stringify(list, null, 2), 'list.json');
    assert.deepEqual(docs.map((d) => [d.index, d.object.metadata.name]), [[1, 'team'], [2, 'other']]);
    assert.equal(parseManifests(JSON.stringify([obj]), 'arr.json').length, 1);
  });

  it('expands a YAML List too', () => {
    const docs = parseManifests('apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: a}\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: b}\n', 'l.yaml');
    assert.deepEqual(docs.map((d) => d.object.metadata.name), ['a', 'b']);
  });

  it('reports JSON syntax errors with line and column', () => {
    const e = parseError('{\n  "apiVersion": "v1",\n  "kind": }\n', 'bad.json');
    assert.match(e.message, /^bad\.json: JSON error at line 3, column \d+/);
  });

  it('rejects binary input: NUL bytes or invalid UTF-8', () => {
    assert.match(parseError(Buffer.from([0x61, 0x00, 0x62])).message, /web\.yaml: not a text manifest: contains a NUL byte/);
    assert.match(parseError(Buffer.from([0x61, 0xff, 0xfe, 0x62])).message, /web\.yaml: not a text manifest: contains invalid UTF-8/);
  });

  it('rejects inputs over the size limit, naming size and limit', () => {
    const big = Buffer.alloc(MAX_MANIFEST_BYTES + 1, 0x20);
    const e = parseError(big);
    assert.match(e.message, new RegExp(`${MAX_MANIFEST_BYTES + 1} bytes.*${MAX_MANIFEST_BYTES}`));
  });

  it('requires apiVersion, kind and metadata.name in each document, naming source and document', () => {
    const e = parseError(`${cm('ok')}---\nkind: ConfigMap\nmetadata:\n  labels: {}\n---\n- a\n- b\n`);
    assert.deepEqual(e.details, [
      'web.yaml: document 2: apiVersion is required',
      'web.yaml: document 2: metadata.name is required',
      'web.yaml: document 3: expected a mapping with apiVersion, kind and metadata, got a list',
    ]);
    assert.match(e.message, /^web\.yaml: document 2: apiVersion is required \(and 2 more problems\)$/);
  });

  it('strips a UTF-8 byte-order mark and accepts Buffers', () => {
    const docs = parseManifests(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(cm('bom'))]), 'bom.yaml');
    assert.equal(docs[0]?.object.metadata.name, 'bom');
  });

  it('refuses alias bombs', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill('*' + String.fromCharCode(96 + i)).join(',')}]`);
    lines.push('apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: x}');
    assert.match(parseError(lines.join('\n')).message, /web\.yaml: document 1: YAML error/);
  });
});
