// Reading one Compose file: its text as YAML, with the Compose merge tags !reset and !override,
// and telling a Compose file from a Kubernetes manifest.
import * as path from 'node:path';
import { LineCounter, parseAllDocuments, type ScalarTag, type CollectionTag } from 'yaml';
import { invalid } from '../errors';

/** The Compose file names Compose itself looks for. */
const COMPOSE_FILE_NAMES = new Set(['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml']);

/** A value tagged `!reset` (clear what earlier files set) or `!override` (replace instead of merge). */
export class MergeTag {
  constructor(
    readonly tag: 'reset' | 'override',
    readonly value: unknown,
  ) {}
}

function tagged(tag: 'reset' | 'override'): (ScalarTag | CollectionTag)[] {
  const name = `!${tag}`;
  return [
    { tag: name, resolve: (s: string) => new MergeTag(tag, s) } as ScalarTag,
    { tag: name, collection: 'map', resolve: (m) => new MergeTag(tag, m.toJSON()) } as CollectionTag,
    { tag: name, collection: 'seq', resolve: (s) => new MergeTag(tag, s.toJSON()) } as CollectionTag,
  ];
}

const CUSTOM_TAGS = [...tagged('reset'), ...tagged('override')];

export function isComposeFileName(file: string): boolean {
  return COMPOSE_FILE_NAMES.has(path.basename(file)) || /^(docker-)?compose\.[\w.-]+\.ya?ml$/.test(path.basename(file));
}

/** A mapping with a `services` mapping and neither apiVersion nor kind: what Compose reads and Kubernetes never writes. */
export function looksLikeCompose(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const o = value as Record<string, unknown>;
  return o.apiVersion === undefined && o.kind === undefined && o.services !== null && typeof o.services === 'object' && !Array.isArray(o.services);
}

/** Parses a Compose file's text (one YAML document); YAML errors name the file and line. */
export function parseComposeText(text: string, file: string): Record<string, unknown> {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, merge: true, customTags: CUSTOM_TAGS });
  const list = Array.isArray(docs) ? docs : [docs];
  const problems: string[] = [];
  for (const doc of list) {
    for (const e of doc.errors) {
      const { line, col } = lineCounter.linePos(e.pos[0]);
      problems.push(`${file}: YAML error at line ${line}, column ${col}: ${e.message}`);
    }
  }
  if (problems.length) throw invalid(problems[0]!, problems);
  const nonEmpty = list.filter((d) => d.contents !== null);
  if (nonEmpty.length !== 1) throw invalid(`${file}: a Compose file is one YAML document, found ${nonEmpty.length}`);
  const value: unknown = nonEmpty[0]!.toJS({ maxAliasCount: 100 });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid(`${file}: a Compose file must be a mapping`);
  return value as Record<string, unknown>;
}

/** Whether a manifest file's text is a Compose file (by its name, else by its content). */
export function isComposeText(text: string, file: string): boolean {
  if (isComposeFileName(file)) return true;
  try {
    const docs = parseAllDocuments(text, { customTags: CUSTOM_TAGS });
    const list = Array.isArray(docs) ? docs : [docs];
    const first = list.find((d) => d.contents !== null);
    return list.filter((d) => d.contents !== null).length === 1 && first !== undefined && first.errors.length === 0 && looksLikeCompose(first.toJS());
  } catch {
    return false;
  }
}
