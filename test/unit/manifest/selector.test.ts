import assert from 'node:assert/strict';
import { isKiteError } from '../../../common/errors';
import { labelsToString, parseFieldSelector, parseSelector, selectorFromLabelSelector } from '../../../common/manifest/selector';

const rejects = (s: string, mentions: RegExp) => assert.throws(() => parseSelector(s), (e: unknown) => isKiteError(e, 'Invalid') && mentions.test(e.message));

describe('label selectors', () => {
  const web = { app: 'web', tier: 'frontend' };
  const db = { app: 'db' };

  it('matches equality, inequality and set-based requirements', () => {
    assert.equal(parseSelector('app=web').matches(web), true);
    assert.equal(parseSelector('app==web').matches(web), true);
    assert.equal(parseSelector('app=web').matches(db), false);
    assert.equal(parseSelector('app!=web').matches(db), true);
    assert.equal(parseSelector('app in (web,db)').matches(db), true);
    assert.equal(parseSelector('app in (cache)').matches(db), false);
    assert.equal(parseSelector('app notin (web)').matches(db), true);
    assert.equal(parseSelector('tier').matches(web), true);
    assert.equal(parseSelector('tier').matches(db), false);
    assert.equal(parseSelector('!tier').matches(db), true);
  });

  it('requires every comma-separated requirement to hold', () => {
    const s = parseSelector('app=web, tier in (frontend), !canary');
    assert.equal(s.matches(web), true);
    assert.equal(s.matches({ ...web, canary: 'true' }), false);
    assert.equal(s.matches(db), false);
  });

  it('treats a missing label as matching != and notin, and failing = and in', () => {
    assert.equal(parseSelector('tier!=backend').matches(db), true);
    assert.equal(parseSelector('tier notin (backend)').matches(undefined), true);
    assert.equal(parseSelector('tier=frontend').matches(undefined), false);
  });

  it('selects everything when empty', () => {
    const s = parseSelector('');
    assert.equal(s.isEmpty(), true);
    assert.equal(s.matches(undefined), true);
  });

  it('prints a canonical form that parses back to the same selector', () => {
    const s = parseSelector('app = web,tier in (b, a),!x,y,z!=1,w notin (q)');
    assert.equal(s.toString(), 'app=web,tier in (a,b),!x,y,z!=1,w notin (q)');
    assert.equal(parseSelector(s.toString()).toString(), s.toString());
  });

  it('accepts prefixed keys', () => {
    assert.equal(parseSelector('app.kubernetes.io/name=nginx').matches({ 'app.kubernetes.io/name': 'nginx' }), true);
  });

  it('names the bad part in errors', () => {
    rejects('app in web', /expected "\(" after "app in"/);
    rejects('app in (web', /expected "," or "\)"/);
    rejects('app=web,', /trailing ","/);
    rejects('app=we b', /expected "," between requirements, got "b"/);
    rejects('app=web;x', /unexpected character ";"/);
    rejects('-bad=1', /key "-bad"/);
    rejects('app=' + 'x'.repeat(64), /63 characters/);
    rejects('app >', /unexpected character ">"/);
  });

  it('builds from the LabelSelector API shape', () => {
    const s = selectorFromLabelSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['frontend', 'edge'] },
        { key: 'canary', operator: 'DoesNotExist' },
      ],
    });
    assert.equal(s.matches(web), true);
    assert.equal(s.matches({ ...web, canary: 'y' }), false);
    assert.equal(s.toString(), 'app=web,tier in (edge,frontend),!canary');
    assert.equal(selectorFromLabelSelector({}).isEmpty(), true);
    assert.throws(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), /at least one value/);
  });

  it('formats labels sorted by key', () => {
    assert.equal(labelsToString({ tier: 'frontend', app: 'web' }), 'app=web,tier=frontend');
    assert.equal(labelsToString(undefined), '');
  });
});

describe('field selectors', () => {
  const pod = { metadata: { name: 'web-1', namespace: 'default' }, spec: { nodeName: 'n1' }, status: { phase: 'Running' } };

  it('matches equality and inequality over dotted paths', () => {
    assert.equal(parseFieldSelector('metadata.name=web-1').matchesFields(pod), true);
    assert.equal(parseFieldSelector('spec.nodeName==n2').matchesFields(pod), false);
    assert.equal(parseFieldSelector('status.phase!=Running').matchesFields(pod), false);
    assert.equal(parseFieldSelector('metadata.name=web-1,status.phase!=Failed').matchesFields(pod), true);
  });

  it('reads a missing field as the empty string', () => {
    assert.equal(parseFieldSelector('spec.missing=').matchesFields(pod), true);
    assert.equal(parseFieldSelector('spec.missing!=x').matchesFields(pod), true);
  });

  it('rejects requirements without an operator or with a bad path', () => {
    assert.throws(() => parseFieldSelector('metadata.name'), (e: unknown) => isKiteError(e, 'Invalid') && /"metadata.name"/.test(e.message));
    assert.throws(() => parseFieldSelector('a..b=c'), /dotted field path/);
  });

  it('prints what it parsed', () => {
    assert.equal(parseFieldSelector('a.b=c, d!=e').toString(), 'a.b=c,d!=e');
    assert.equal(parseFieldSelector('').isEmpty(), true);
  });
});
