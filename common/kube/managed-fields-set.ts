// A set of field paths, the unit of server-side apply's ownership: what one manager owns, what
// changed between two versions of an object. A path is a list of path elements as FieldsV1
// writes them: `f:<field>`, `k:<json of the key fields>`, `v:<json value>`, `i:<index>`. The set
// is a tree (as FieldsV1 is): a node can be a member (the field itself is in the set) and have
// children (fields under it are). Nodes that are neither never stay in the tree.
//
// The operations return new sets that may share subtrees with their operands; only `insert`
// changes the receiver, so it is for a set being built, never for an operation's result.

/** A FieldsV1 document: `{"f:spec": {"f:replicas": {}}}`; `"."` marks a node with children as a member. */
export type FieldsV1 = Record<string, unknown>;

export type FieldPath = readonly string[];

const SELF = '.';

export class FieldSet {
  private member = false;
  private readonly children = new Map<string, FieldSet>();

  static empty(): FieldSet {
    return new FieldSet();
  }

  static of(paths: Iterable<FieldPath>): FieldSet {
    const set = new FieldSet();
    for (const path of paths) set.insert(path);
    return set;
  }

  /** Reads FieldsV1; throws an Error naming the offending key when it is not well formed. */
  static fromFieldsV1(doc: unknown, where = ''): FieldSet {
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error(`fieldsV1${where}: want an object`);
    const set = new FieldSet();
    for (const [key, value] of Object.entries(doc)) {
      if (key === SELF) {
        set.member = true;
        continue;
      }
      if (!/^[fkvi]:/.test(key)) throw new Error(`fieldsV1${where}: "${key}" is not a path element (f:, k:, v:, i:)`);
      const child = FieldSet.fromFieldsV1(value, `${where}/${key}`);
      // `{}` is a member without children; a node holding only children needs "." to be one too.
      if (child.children.size === 0) child.member = true;
      set.children.set(key, child);
    }
    return set;
  }

  toFieldsV1(): FieldsV1 {
    const out: FieldsV1 = {};
    for (const key of [...this.children.keys()].sort(comparePathElements)) {
      const child = this.children.get(key)!;
      const inner = child.toFieldsV1();
      out[key] = child.member && child.children.size > 0 ? { [SELF]: {}, ...inner } : inner;
    }
    return out;
  }

  /** Adds `path` as a member of a set being built (this changes the set). The empty path is the root. */
  insert(path: FieldPath): void {
    let node: FieldSet = this;
    for (const element of path) {
      let next = node.children.get(element);
      if (!next) {
        next = new FieldSet();
        node.children.set(element, next);
      }
      node = next;
    }
    node.member = true;
  }

  get isMember(): boolean {
    return this.member;
  }

  isEmpty(): boolean {
    return !this.member && this.children.size === 0;
  }

  /** The subtree under one path element, if anything of the set lies there. */
  child(element: string): FieldSet | undefined {
    return this.children.get(element);
  }

  at(path: FieldPath): FieldSet | undefined {
    let node: FieldSet | undefined = this;
    for (const element of path) node = node?.children.get(element);
    return node;
  }

  has(path: FieldPath): boolean {
    return this.at(path)?.member === true;
  }

  union(other: FieldSet): FieldSet {
    const out = new FieldSet();
    out.member = this.member || other.member;
    for (const key of new Set([...this.children.keys(), ...other.children.keys()])) {
      const a = this.children.get(key);
      const b = other.children.get(key);
      out.children.set(key, a && b ? a.union(b) : (a ?? b)!);
    }
    return out;
  }

  /** This set without `other`'s members (a member of both goes; what lies under it stays unless also in `other`). */
  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    out.member = this.member && !other.member;
    for (const [key, a] of this.children) {
      const b = other.children.get(key);
      const rest = b ? a.difference(b) : a;
      if (!rest.isEmpty()) out.children.set(key, rest);
    }
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    out.member = this.member && other.member;
    for (const [key, a] of this.children) {
      const b = other.children.get(key);
      if (!b) continue;
      const both = a.intersection(b);
      if (!both.isEmpty()) out.children.set(key, both);
    }
    return out;
  }

  /** This set without anything at or under `path`. */
  withoutSubtree(path: FieldPath): FieldSet {
    const [head, ...rest] = path;
    if (head === undefined) return FieldSet.empty();
    const child = this.children.get(head);
    if (!child) return this;
    const out = new FieldSet();
    out.member = this.member;
    for (const [key, other] of this.children) out.children.set(key, other);
    const trimmed = child.withoutSubtree(rest);
    if (trimmed.isEmpty()) out.children.delete(head);
    else out.children.set(head, trimmed);
    return out;
  }

  equals(other: FieldSet): boolean {
    if (this.member !== other.member || this.children.size !== other.children.size) return false;
    for (const [key, a] of this.children) {
      const b = other.children.get(key);
      if (!b || !a.equals(b)) return false;
    }
    return true;
  }

  /** Every member path, in FieldsV1 order. */
  paths(prefix: string[] = []): string[][] {
    const out: string[][] = this.member ? [prefix] : [];
    for (const key of [...this.children.keys()].sort(comparePathElements)) out.push(...this.children.get(key)!.paths([...prefix, key]));
    return out;
  }
}

/** structured-merge-diff's order: fields, then keyed items, then set values, then indexes. */
const ELEMENT_RANK: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

function comparePathElements(a: string, b: string): number {
  const rank = (ELEMENT_RANK[a[0] ?? ''] ?? 4) - (ELEMENT_RANK[b[0] ?? ''] ?? 4);
  if (rank !== 0) return rank;
  if (a[0] === 'i') return Number(a.slice(2)) - Number(b.slice(2));
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A path as Kubernetes prints it in a conflict: `.spec.replicas`,
 * `.spec.template.spec.containers[name="web"].image`, `.metadata.finalizers[="x"]`.
 */
export function fieldPathString(path: FieldPath): string {
  return path.map(elementString).join('');
}

function elementString(element: string): string {
  const body = element.slice(2);
  switch (element[0]) {
    case 'f':
      return `.${body}`;
    case 'k': {
      const key = parseKey(body);
      return key ? `[${Object.entries(key).map(([name, v]) => `${name}=${JSON.stringify(v)}`).join(',')}]` : `[${body}]`;
    }
    case 'v':
      return `[=${body}]`;
    default:
      return `[${body}]`;
  }
}

function parseKey(json: string): Record<string, unknown> | undefined {
  try {
    const key: unknown = JSON.parse(json);
    return typeof key === 'object' && key !== null && !Array.isArray(key) ? (key as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
