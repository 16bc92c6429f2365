// Property tests of label and field selectors: any string parses to a selector or an Invalid
// error, and what parses matches labels (and fields) exactly as a reference model of the
// Kubernetes semantics does, hostile label keys included.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { LabelSelector } from '../../../common/api/types';
import { parseFieldSelector, parseSelector, selectorFromLabelSelector, validateObject } from '../../../common/manifest';
import { NASTY_KEYS, defineOwn, hostileValue, kiteOutcome, withoutPollution } from './helpers';

// ---- the reference model ------------------------------------------------------------------------

type Op = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!';
interface Req {
  key: string;
  op: Op;
  values: string[];
}
type Labels = Record<string, string>;

const has = (labels: Labels, key: string) => Object.prototype.hasOwnProperty.call(labels, key);

function modelMatches(reqs: Req[], labels: Labels): boolean {
  return reqs.every((r) => {
    const present = has(labels, r.key);
    const value = present ? labels[r.key] : undefined;
    switch (r.op) {
      case '=':
      case '==':
      case 'in':
        return present && r.values.includes(value!);
      case '!=':
      case 'notin':
        return !present || !r.values.includes(value!);
      case 'exists':
        return present;
      case '!':
        return !present;
    }
  });
}

// Keys and values from small pools so that requirements and labels meet often; "in" and "notin"
// are valid keys and values too, which a parser that looks for operators by word could trip on.
const KEYS = ['app', 'tier', 'example.com/team', 'a.b-c_d', 'in', 'notin', 'x', 'constructor', 'toString'];
const VALUES = ['', 'web', 'db', 'v1.2', 'A_b-c', 'in', 'notin', 'x'];
const key = fc.constantFrom(...KEYS);
const value = fc.constantFrom(...VALUES);
const space = fc.constantFrom('', ' ', '  ', '\t');

const requirement: fc.Arbitrary<Req> = fc.oneof(
  fc.record({ key, op: fc.constantFrom<Op>('=', '==', '!='), values: value.map((v) => [v]) }),
  fc.record({ key, op: fc.constantFrom<Op>('in', 'notin'), values: fc.array(value, { minLength: 1, maxLength: 4 }) }),
  fc.record({ key, op: fc.constantFrom<Op>('exists', '!'), values: fc.constant<string[]>([]) }),
);

/** Renders a requirement the way a user might type it, with random spacing. */
const rendered = (r: Req): fc.Arbitrary<string> =>
  fc.tuple(space, space, space).map(([a, b, c]) => {
    switch (r.op) {
      case 'exists':
        return `${a}${r.key}${b}`;
      case '!':
        return `${a}!${b}${r.key}${c}`;
      case 'in':
      case 'notin':
        return `${a}${r.key} ${r.op}${b}(${r.values.join(`${c},${b}`)})${c}`;
      default:
        return `${a}${r.key}${b}${r.op}${c}${r.values[0]}`;
    }
  });

const selectorCase = fc
  .array(requirement, { minLength: 1, maxLength: 4 })
  .chain((reqs) => fc.tuple(fc.constant(reqs), fc.tuple(...reqs.map(rendered)).map((parts) => parts.join(','))));

/** Label sets over the same pools, sometimes with hostile own keys such as "__proto__". */
const labels: fc.Arbitrary<Labels> = fc
  .tuple(fc.dictionary(key, value, { maxKeys: 5 }), fc.subarray(NASTY_KEYS), value)
  .map(([base, nasty, v]) => {
    const out: Labels = { ...base };
    for (const k of nasty) defineOwn(out, k, v);
    return out;
  });

// ---- properties ---------------------------------------------------------------------------------

describe('fuzz: label and field selectors', function () {
  this.timeout(20_000);

  it('any string: a selector, or an Invalid error that quotes the selector', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: fc.constantFrom(...'ab=!(),. /-_', ' in ', ' notin ', 'in', '=='), maxLength: 30 }),
    );
    fc.assert(
      fc.property(text, labels, (s, l) => {
        withoutPollution(() => {
          const r = kiteOutcome(() => parseSelector(s), 500);
          if ('error' in r) {
            assert.equal(r.error.code, 'Invalid');
            assert.ok(r.error.message.startsWith(`invalid label selector "${s}"`), r.error.message);
            return;
          }
          r.value.matches(l);
          r.value.matches(undefined);
          // What parses prints back to a selector that parses to the same requirements.
          assert.deepEqual(parseSelector(r.value.toString()).requirements, r.value.requirements);
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('matches labels exactly as the reference model of =, ==, !=, in, notin, exists and !exists', () => {
    fc.assert(
      fc.property(selectorCase, fc.array(labels, { minLength: 1, maxLength: 5 }), ([reqs, text], labelSets) => {
        const sel = parseSelector(text);
        for (const l of labelSets) assert.equal(sel.matches(l), modelMatches(reqs, l), `${JSON.stringify(text)} on ${JSON.stringify(l)}`);
        assert.equal(sel.matches(undefined), modelMatches(reqs, {}));
        const again = parseSelector(sel.toString());
        for (const l of labelSets) assert.equal(again.matches(l), sel.matches(l), `${sel.toString()} printed from ${text}`);
      }),
      { numRuns: 1000 },
    );
  });

  it('a LabelSelector (matchLabels, matchExpressions) matches as the model', () => {
    const expression = fc.oneof(
      fc.record({ key, operator: fc.constantFrom('In' as const, 'NotIn' as const), values: fc.array(value, { minLength: 1, maxLength: 3 }) }),
      fc.record({ key, operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const) }),
    );
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 3 }), fc.array(expression, { maxLength: 3 }), labels, (matchLabels, matchExpressions, l) => {
        const reqs: Req[] = [
          ...Object.entries(matchLabels).map(([k, v]) => ({ key: k, op: '=' as const, values: [v] })),
          ...matchExpressions.map((e): Req => {
            const op: Op = e.operator === 'In' ? 'in' : e.operator === 'NotIn' ? 'notin' : e.operator === 'Exists' ? 'exists' : '!';
            return { key: e.key, op, values: 'values' in e ? e.values : [] };
          }),
        ];
        assert.equal(selectorFromLabelSelector({ matchLabels, matchExpressions }).matches(l), modelMatches(reqs, l));
      }),
      { numRuns: 500 },
    );
  });

  it('a workload selector that validates never makes selectorFromLabelSelector throw', () => {
    const selector = fc.oneof(
      hostileValue,
      fc.record({ matchLabels: fc.oneof(hostileValue, fc.dictionary(key, value)), matchExpressions: fc.array(fc.oneof(hostileValue, fc.record({ key: fc.oneof(key, hostileValue), operator: fc.oneof(fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt'), hostileValue), values: fc.oneof(fc.array(value), hostileValue) }, { requiredKeys: [] })), { maxLength: 3 }) }, { requiredKeys: [] }),
    );
    fc.assert(
      fc.property(selector, (sel) => {
        const deployment = {
          apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
          spec: { selector: sel, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'b' }] } } },
        };
        const r = kiteOutcome(() => validateObject(deployment));
        assert.ok('value' in r);
        if (r.value.errors.length === 0) {
          const s = selectorFromLabelSelector(sel as LabelSelector);
          assert.ok(s.matches({ app: 'web' }), 'a valid workload selector must select its own template');
        }
      }),
      { numRuns: 800 },
    );
  });

  // ---- field selectors ----------------------------------------------------------------------------

  const SEGMENTS = ['metadata', 'name', 'status', 'phase', 'spec', 'nodeName', 'constructor', '__proto__', 'toString', 'length'];
  const FIELD_VALUES = ['', 'web', 'Running', '0', 'true', 'null', '{}', 'a b', 'x=y', 'a!b'];

  /** Own fields only; missing and null read as "", objects as their JSON. */
  function modelField(obj: unknown, path: string): string {
    let cur: unknown = obj;
    for (const part of path.split('.')) {
      if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, part)) return '';
      cur = (cur as Record<string, unknown>)[part];
    }
    if (cur === undefined || cur === null) return '';
    return typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
  }

  const fieldObject: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom<unknown>(...FIELD_VALUES, 0, 7, true, null),
      fc.array(fc.tuple(fc.constantFrom(...SEGMENTS), tie('node')), { maxLength: 4 }).map((entries) => {
        const o: Record<string, unknown> = {};
        for (const [k, v] of entries) defineOwn(o, k, v);
        return o;
      }),
    ),
  })).node;

  it('any string: a field selector, or an Invalid error that quotes it', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: fc.constantFrom(...'ab.=!, _'), maxLength: 20 })), fieldObject, (s, obj) => {
        withoutPollution(() => {
          const r = kiteOutcome(() => parseFieldSelector(s), 500);
          if ('error' in r) assert.ok(r.error.message.startsWith(`invalid field selector "${s}"`), r.error.message);
          else r.value.matchesFields(obj);
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('field selectors match own fields exactly as the model', () => {
    const req = fc.record({
      path: fc.array(fc.constantFrom(...SEGMENTS), { minLength: 1, maxLength: 3 }).map((p) => p.join('.')),
      op: fc.constantFrom('=', '==', '!='),
      value: fc.constantFrom(...FIELD_VALUES),
    });
    fc.assert(
      fc.property(fc.array(req, { minLength: 1, maxLength: 3 }), fc.array(fieldObject, { minLength: 1, maxLength: 4 }), (reqs, objects) => {
        const sel = parseFieldSelector(reqs.map((r) => `${r.path}${r.op}${r.value}`).join(','));
        for (const obj of objects) {
          const want = reqs.every((r) => (modelField(obj, r.path) === r.value) === (r.op !== '!='));
          assert.equal(sel.matchesFields(obj), want, `${sel.toString()} on ${JSON.stringify(obj)}`);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
