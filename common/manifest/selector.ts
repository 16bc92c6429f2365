// Label selectors (kubectl `-l` syntax and the LabelSelector API shape) and simple field selectors.
import type { LabelSelector } from '../api/types';
import { invalid } from '../errors';
import { labelKeyError, labelValueError } from './names';

export type SelectorOperator = 'Equals' | 'NotEquals' | 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface Requirement {
  key: string;
  operator: SelectorOperator;
  values: string[];
}

type Labels = Record<string, string> | undefined;

function requirementMatches(r: Requirement, labels: Labels): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'Equals':
    case 'In':
      return has && r.values.includes(value as string);
    // As in Kubernetes, "a!=b" and "a notin (b)" also match objects without the label.
    case 'NotEquals':
    case 'NotIn':
      return !has || !r.values.includes(value as string);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

function requirementToString(r: Requirement): string {
  switch (r.operator) {
    case 'Equals':
      return `${r.key}=${r.values[0] ?? ''}`;
    case 'NotEquals':
      return `${r.key}!=${r.values[0] ?? ''}`;
    case 'In':
      return `${r.key} in (${r.values.join(',')})`;
    case 'NotIn':
      return `${r.key} notin (${r.values.join(',')})`;
    case 'Exists':
      return r.key;
    case 'DoesNotExist':
      return `!${r.key}`;
  }
}

/** A set of requirements that must all hold (AND). An empty selector matches everything. */
export class Selector {
  constructor(readonly requirements: readonly Requirement[]) {}

  static everything(): Selector {
    return new Selector([]);
  }

  /** Selects objects carrying every label in `set` (how Service selectors and matchLabels work). */
  static fromSet(set: Record<string, string>): Selector {
    return new Selector(Object.keys(set).sort().map((key) => ({ key, operator: 'Equals' as const, values: [set[key] as string] })));
  }

  matches(labels: Labels): boolean {
    for (const r of this.requirements) if (!requirementMatches(r, labels)) return false;
    return true;
  }

  isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  toString(): string {
    return this.requirements.map(requirementToString).join(',');
  }
}

/** "a=b,c=d" with keys sorted, the way kubectl prints labels. */
export function labelsToString(labels: Labels): string {
  if (!labels) return '';
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
}

/** matchLabels + matchExpressions -> Selector. An empty LabelSelector ({}) matches everything, as in Kubernetes. */
export function selectorFromLabelSelector(ls: LabelSelector): Selector {
  const reqs: Requirement[] = [];
  const ml = ls.matchLabels ?? {};
  for (const key of Object.keys(ml).sort()) reqs.push({ key, operator: 'Equals', values: [ml[key] as string] });
  for (const e of ls.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort();
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) throw invalid(`label selector: operator ${e.operator} on key "${e.key}" needs at least one value`);
        reqs.push({ key: e.key, operator: e.operator, values });
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) throw invalid(`label selector: operator ${e.operator} on key "${e.key}" takes no values`);
        reqs.push({ key: e.key, operator: e.operator, values: [] });
        break;
      default:
        throw invalid(`label selector: unknown operator "${String(e.operator)}" on key "${e.key}" (expected In, NotIn, Exists, DoesNotExist)`);
    }
  }
  return new Selector(reqs);
}

// ---- kubectl selector syntax --------------------------------------------------------------

type Token =
  | { kind: 'word'; text: string; pos: number }
  | { kind: 'op'; text: '=' | '==' | '!=' | '!' | '(' | ')' | ','; pos: number };

const WORD_CHAR = /[A-Za-z0-9._\/-]/;

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '!' && s[i + 1] === '=') {
      out.push({ kind: 'op', text: '!=', pos: i });
      i += 2;
    } else if (c === '=' && s[i + 1] === '=') {
      out.push({ kind: 'op', text: '==', pos: i });
      i += 2;
    } else if (c === '=' || c === '!' || c === '(' || c === ')' || c === ',') {
      out.push({ kind: 'op', text: c, pos: i });
      i++;
    } else if (WORD_CHAR.test(c)) {
      const start = i;
      while (i < s.length && WORD_CHAR.test(s[i] as string)) i++;
      out.push({ kind: 'word', text: s.slice(start, i), pos: start });
    } else {
      throw invalid(`invalid label selector "${s}": unexpected character "${c}" at position ${i + 1}`);
    }
  }
  return out;
}

/**
 * Parses the kubectl label selector syntax: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`,
 * joined by commas. The empty string selects everything. Errors quote the offending part.
 */
export function parseSelector(s: string): Selector {
  const tokens = tokenize(s);
  const reqs: Requirement[] = [];
  let i = 0;
  const fail = (msg: string): never => {
    throw invalid(`invalid label selector "${s}": ${msg}`);
  };
  const peek = () => tokens[i];
  const describe = (t: Token | undefined) => (t ? `"${t.text}" at position ${t.pos + 1}` : 'end of input');
  const checkKey = (key: string) => {
    const err = labelKeyError(key);
    if (err) fail(`key "${key}": ${err}`);
  };
  const checkValue = (key: string, value: string) => {
    const err = labelValueError(value);
    if (err) fail(`value "${value}" for key "${key}": ${err}`);
  };

  if (tokens.length === 0) return Selector.everything();
  for (;;) {
    const t = peek();
    if (t?.kind === 'op' && t.text === '!') {
      i++;
      const k = peek();
      if (k?.kind !== 'word') fail(`expected a label key after "!", got ${describe(k)}`);
      i++;
      checkKey(k!.text);
      reqs.push({ key: k!.text, operator: 'DoesNotExist', values: [] });
    } else if (t?.kind === 'word') {
      i++;
      const key = t.text;
      checkKey(key);
      const op = peek();
      if (op === undefined || (op.kind === 'op' && op.text === ',')) {
        reqs.push({ key, operator: 'Exists', values: [] });
      } else if (op.kind === 'op' && (op.text === '=' || op.text === '==' || op.text === '!=')) {
        i++;
        const v = peek();
        let value = '';
        if (v?.kind === 'word') {
          value = v.text;
          i++;
        } else if (v !== undefined && !(v.kind === 'op' && v.text === ',')) {
          fail(`expected a value after "${key}${op.text}", got ${describe(v)}`);
        }
        checkValue(key, value);
        reqs.push({ key, operator: op.text === '!=' ? 'NotEquals' : 'Equals', values: [value] });
      } else if (op.kind === 'word' && (op.text === 'in' || op.text === 'notin')) {
        i++;
        const open = peek();
        if (!(open?.kind === 'op' && open.text === '(')) fail(`expected "(" after "${key} ${op.text}", got ${describe(open)}`);
        i++;
        const values: string[] = [];
        for (;;) {
          const v = peek();
          if (v?.kind === 'word') {
            checkValue(key, v.text);
            values.push(v.text);
            i++;
          } else if (v?.kind === 'op' && (v.text === ',' || v.text === ')')) {
            values.push(''); // "a in (x,)" contains the empty value, as in Kubernetes
          } else {
            fail(`expected a value in "${key} ${op.text} (...)", got ${describe(v)}`);
          }
          const sep = peek();
          if (sep?.kind === 'op' && sep.text === ',') {
            i++;
            continue;
          }
          if (sep?.kind === 'op' && sep.text === ')') {
            i++;
            break;
          }
          fail(`expected "," or ")" in "${key} ${op.text} (...)", got ${describe(sep)}`);
        }
        reqs.push({ key, operator: op.text === 'in' ? 'In' : 'NotIn', values: [...new Set(values)].sort() });
      } else {
        fail(`expected an operator (=, ==, !=, in, notin) after "${key}", got ${describe(op)}`);
      }
    } else {
      fail(`expected a label key, got ${describe(t)}`);
    }
    const sep = peek();
    if (sep === undefined) break;
    if (!(sep.kind === 'op' && sep.text === ',')) fail(`expected "," between requirements, got ${describe(sep)}`);
    i++;
    if (peek() === undefined) fail('trailing ","');
  }
  return new Selector(reqs);
}

// ---- field selectors ----------------------------------------------------------------------

export interface FieldRequirement {
  path: string;
  operator: 'Equals' | 'NotEquals';
  value: string;
}

function fieldValue(obj: unknown, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    // Own fields only: "metadata.constructor" must read as missing, not as Object's constructor.
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, part)) return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return '';
  return typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
}

/** `metadata.name=web,status.phase!=Running`: equality over dotted object paths. A missing field reads as "". */
export class FieldSelector {
  constructor(readonly requirements: readonly FieldRequirement[]) {}

  matchesFields(obj: unknown): boolean {
    for (const r of this.requirements) {
      const equal = fieldValue(obj, r.path) === r.value;
      if (equal !== (r.operator === 'Equals')) return false;
    }
    return true;
  }

  isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  toString(): string {
    return this.requirements.map((r) => `${r.path}${r.operator === 'Equals' ? '=' : '!='}${r.value}`).join(',');
  }
}

const FIELD_PATH_RE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export function parseFieldSelector(s: string): FieldSelector {
  const reqs: FieldRequirement[] = [];
  if (s.trim() === '') return new FieldSelector(reqs);
  for (const raw of s.split(',')) {
    const part = raw.trim();
    const m = /^([^=!]+?)\s*(==|!=|=)\s*(.*)$/.exec(part);
    if (!m) throw invalid(`invalid field selector "${s}": "${part}" is not of the form path=value or path!=value`);
    const [, path, op, value] = m as unknown as [string, string, string, string];
    if (!FIELD_PATH_RE.test(path)) throw invalid(`invalid field selector "${s}": "${path}" is not a dotted field path such as status.phase`);
    reqs.push({ path, operator: op === '!=' ? 'NotEquals' : 'Equals', value });
  }
  return new FieldSelector(reqs);
}
