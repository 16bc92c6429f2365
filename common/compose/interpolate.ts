// Variable interpolation as the Compose specification defines it: $VAR, ${VAR}, ${VAR:-default},
// ${VAR-default}, ${VAR:?err}, ${VAR?err}, ${VAR:+alt}, ${VAR+alt}, nested defaults, and $$ for
// a literal $. Values only, never keys. An unset variable without a default is "" and a warning.
import { invalid } from '../errors';
import { MergeTag } from './read';

export type Environment = Readonly<Record<string, string | undefined>>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

interface Interpolation {
  env: Environment;
  /** "compose.yaml: services.web.image", for messages. */
  where: string;
  warnings: string[];
}

/** Index of the `}` closing the `${` whose content starts at `from`, counting nested `${...}`. */
function closingBrace(s: string, from: number, where: string): number {
  let depth = 1;
  for (let i = from; i < s.length; i++) {
    if (s[i] === '$' && s[i + 1] === '$') {
      i++;
      continue;
    }
    if (s[i] === '$' && s[i + 1] === '{') {
      depth++;
      i++;
    } else if (s[i] === '}' && --depth === 0) return i;
  }
  throw invalid(`${where}: invalid interpolation format: "${s}" has an unclosed \${`);
}

function lookup(name: string, ctx: Interpolation): string | undefined {
  return ctx.env[name];
}

/** The value of one braced expression's content, e.g. `VAR:-default`. */
function braced(expr: string, ctx: Interpolation, whole: string): string {
  const m = NAME.exec(expr);
  if (!m) throw invalid(`${ctx.where}: invalid interpolation format: "${whole}": "\${${expr}}" does not start with a variable name`);
  const name = m[0];
  const rest = expr.slice(name.length);
  const value = lookup(name, ctx);
  if (rest === '') {
    if (value === undefined) ctx.warnings.push(`${ctx.where}: the "${name}" variable is not set; defaulting to a blank string`);
    return value ?? '';
  }
  const op = /^(:?[-?+])/.exec(rest);
  if (!op) throw invalid(`${ctx.where}: invalid interpolation format: "${whole}": unsupported "\${${expr}}"`);
  const operator = op[1]!;
  const word = () => substitute(rest.slice(operator.length), ctx);
  const emptyCounts = operator.startsWith(':');
  const missing = value === undefined || (emptyCounts && value === '');
  switch (operator.replace(':', '')) {
    case '-':
      return missing ? word() : value!;
    case '+':
      return missing ? '' : word();
    default: {
      if (!missing) return value!;
      const message = word();
      throw invalid(`${ctx.where}: required variable ${name} is ${value === undefined ? 'missing a value' : 'empty'}${message ? `: ${message}` : ''}`);
    }
  }
}

/** Interpolates one string. */
export function substitute(s: string, ctx: Interpolation): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '$') {
      out += c;
      continue;
    }
    const next = s[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '{') {
      const end = closingBrace(s, i + 2, ctx.where);
      out += braced(s.slice(i + 2, end), ctx, s);
      i = end;
    } else {
      const m = NAME.exec(s.slice(i + 1));
      if (!m) {
        out += '$';
        continue;
      }
      const value = lookup(m[0], ctx);
      if (value === undefined) ctx.warnings.push(`${ctx.where}: the "${m[0]}" variable is not set; defaulting to a blank string`);
      out += value ?? '';
      i += m[0].length;
    }
  }
  return out;
}

function keyPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

function walk(value: unknown, path: string, file: string, env: Environment, warnings: string[]): unknown {
  if (typeof value === 'string') return substitute(value, { env, where: `${file}: ${path}`, warnings });
  if (value instanceof MergeTag) return new MergeTag(value.tag, walk(value.value, path, file, env, warnings));
  if (Array.isArray(value)) return value.map((v, i) => walk(v, keyPath(path, i), file, env, warnings));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, keyPath(path, k), file, env, warnings);
    return out;
  }
  return value;
}

/** Interpolates every string value of a parsed Compose file. Throws `invalid` naming file, key path and message. */
export function interpolateFile(doc: Record<string, unknown>, file: string, env: Environment): { value: Record<string, unknown>; warnings: string[] } {
  const warnings: string[] = [];
  const value = walk(doc, '', file, env, warnings) as Record<string, unknown>;
  return { value, warnings: [...new Set(warnings)] };
}
