import assert from 'node:assert/strict';
import { interpolateFile, substitute } from '../../../common/compose/interpolate';

const env = { SET: 'value', EMPTY: '', FOO: 'foo' };
const sub = (s: string) => {
  const warnings: string[] = [];
  return { out: substitute(s, { env, where: 'compose.yaml: services.web.image', warnings }), warnings };
};

describe('Compose interpolation', () => {
  const cases: [string, string][] = [
    ['$SET', 'value'],
    ['${SET}', 'value'],
    ['a${SET}b', 'avalueb'],
    ['${UNSET:-dflt}', 'dflt'],
    ['${EMPTY:-dflt}', 'dflt'],
    ['${EMPTY-dflt}', ''],
    ['${UNSET-dflt}', 'dflt'],
    ['${SET:-dflt}', 'value'],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET+alt}', ''],
    ['${UNSET:-${FOO}}', 'foo'],
    ['${UNSET:-${ALSO_UNSET:-deep}}', 'deep'],
    ['$$SET', '$SET'],
    ['$${SET}', '${SET}'],
    ['cost: 5$', 'cost: 5$'],
    ['$1', '$1'],
    ['${EMPTY?err}', ''],
  ];
  for (const [input, expected] of cases) {
    it(`${input} -> ${JSON.stringify(expected)}`, () => assert.equal(sub(input).out, expected));
  }

  it('an unset variable without a default is blank, with a warning naming it', () => {
    const r = sub('x${NOPE}y');
    assert.equal(r.out, 'xy');
    assert.deepEqual(r.warnings, ['compose.yaml: services.web.image: the "NOPE" variable is not set; defaulting to a blank string']);
  });

  it('${VAR:?msg} unset or empty is an error naming the file, the key path and the message', () => {
    assert.throws(() => interpolateFile({ services: { web: { image: 'x:${TAG:?set TAG to the release}' } } }, 'compose.yaml', {}), {
      message: 'compose.yaml: services.web.image: required variable TAG is missing a value: set TAG to the release',
    });
    assert.throws(() => sub('${EMPTY:?needed}'), /required variable EMPTY is empty: needed/);
    assert.throws(() => sub('${UNSET?needed}'), /required variable UNSET is missing a value: needed/);
  });

  it('an unclosed ${ or a bad expression is an error', () => {
    assert.throws(() => sub('${SET'), /unclosed/);
    assert.throws(() => sub('${SET/a/b}'), /unsupported/);
    assert.throws(() => sub('${-x}'), /does not start with a variable name/);
  });

  it('interpolates values (in lists too) but never keys', () => {
    const r = interpolateFile({ services: { web: { labels: { $SET: '$SET' }, command: ['echo', '${FOO}'], replicas: 3 } } }, 'c.yaml', env);
    assert.deepEqual(r.value, { services: { web: { labels: { $SET: 'value' }, command: ['echo', 'foo'], replicas: 3 } } });
  });
});
