// Manifest text (YAML multi-document or JSON) -> raw objects, one per document, with where each came from.
// Only the envelope is checked here (apiVersion, kind, metadata.name); validate.ts checks the rest.
import { LineCounter, parseAllDocuments } from 'yaml';
import type { KObject } from '../api/types';
import { invalid } from '../errors';
import { locateJsonError } from './json-locate';

export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export interface ManifestDoc {
  /** File name or "-" for stdin, used in every message. */
  source: string;
  /** 1-based document number within the source (YAML `---` documents, or items of a List). */
  index: number;
  /** 1-based line where the document starts. */
  line: number;
  object: KObject;
}

interface RawDoc {
  index: number;
  line: number;
  value: unknown;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decode(text: string | Buffer, source: string): string {
  const size = typeof text === 'string' ? Buffer.byteLength(text, 'utf8') : text.length;
  if (size > MAX_MANIFEST_BYTES) {
    throw invalid(`${source}: manifest is ${size} bytes, over the limit of ${MAX_MANIFEST_BYTES} bytes (4 MiB)`);
  }
  let s: string;
  if (typeof text === 'string') {
    s = text;
  } else {
    try {
      s = utf8.decode(text);
    } catch {
      throw invalid(`${source}: not a text manifest: contains invalid UTF-8 (is it a binary file?)`);
    }
  }
  const nul = s.indexOf('\0');
  if (nul >= 0) throw invalid(`${source}: not a text manifest: contains a NUL byte at offset ${nul} (is it a binary file?)`);
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a mapping' : `a ${typeof v}`;
}

/** `{kind: List, items: [...]}` (what `kubectl get -o yaml` prints) stands for its items. */
function isList(v: unknown): v is { items: unknown[] } {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items);
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function parseJson(text: string, source: string): RawDoc[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const located = locateJsonError(text);
    if (located) {
      const line = lineOfOffset(text, located.offset);
      const column = located.offset - text.lastIndexOf('\n', located.offset - 1);
      throw invalid(`${source}: JSON error at line ${line}, column ${column}: ${located.message}`);
    }
    throw invalid(`${source}: JSON error: ${e instanceof Error ? e.message : String(e)}`);
  }
  const startLine = lineOfOffset(text, text.search(/\S/));
  const items = Array.isArray(value) ? value : isList(value) ? value.items : [value];
  return items.map((v, i) => ({ index: i + 1, line: startLine, value: v }));
}

function parseYaml(text: string, source: string): RawDoc[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, merge: true });
  const errors: string[] = [];
  const out: RawDoc[] = [];
  const list = Array.isArray(docs) ? docs : [docs];
  // A List stands for several documents, so later documents' numbers shift by its extra items.
  let shift = 0;
  list.forEach((doc, i) => {
    const index = i + 1 + shift;
    for (const err of doc.errors) {
      const { line, col } = lineCounter.linePos(err.pos[0]);
      errors.push(`${source}: document ${index}: YAML error at line ${line}, column ${col}: ${err.message}`);
    }
    if (doc.errors.length > 0 || doc.contents === null) return;
    const line = lineCounter.linePos(doc.contents.range[0]).line;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      errors.push(`${source}: document ${index}: YAML error at line ${line}: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (value === null || value === undefined) return;
    if (isList(value)) {
      value.items.forEach((item, j) => out.push({ index: index + j, line, value: item }));
      shift += value.items.length - 1;
    } else {
      out.push({ index, line, value });
    }
  });
  if (errors.length > 0) throw invalid(summarise(errors), errors);
  return out;
}

function summarise(problems: string[]): string {
  const first = problems[0] ?? 'invalid manifest';
  return problems.length > 1 ? `${first} (and ${problems.length - 1} more problems)` : first;
}

function checkEnvelope(doc: RawDoc, source: string): string[] {
  const where = `${source}: document ${doc.index}`;
  const v = doc.value;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return [`${where}: expected a mapping with apiVersion, kind and metadata, got ${describeType(v)}`];
  const o = v as Record<string, unknown>;
  const problems: string[] = [];
  if (o.apiVersion === undefined) problems.push(`${where}: apiVersion is required`);
  else if (typeof o.apiVersion !== 'string' || o.apiVersion === '') problems.push(`${where}: apiVersion must be a non-empty string`);
  if (o.kind === undefined) problems.push(`${where}: kind is required`);
  else if (typeof o.kind !== 'string' || o.kind === '') problems.push(`${where}: kind must be a non-empty string`);
  const md = o.metadata;
  if (md === undefined) problems.push(`${where}: metadata.name is required`);
  else if (md === null || typeof md !== 'object' || Array.isArray(md)) problems.push(`${where}: metadata must be a mapping, got ${describeType(md)}`);
  else {
    const name = (md as Record<string, unknown>).name;
    if (name === undefined || name === '') problems.push(`${where}: metadata.name is required`);
    else if (typeof name !== 'string') problems.push(`${where}: metadata.name must be a string, got ${describeType(name)}`);
  }
  return problems;
}

/**
 * Parses one manifest source: YAML (any number of `---` documents) or JSON (an object, an array, or a List).
 * Empty documents are skipped; no objects at all, bad syntax, binary input or an oversized input throws `invalid`
 * whose details list every problem, each naming the source and document.
 */
export function parseManifests(text: string | Buffer, source: string): ManifestDoc[] {
  const s = decode(text, source);
  const first = s.search(/\S/);
  const looksJson = first >= 0 && (s[first] === '{' || s[first] === '[');
  const raw = looksJson ? parseJson(s, source) : parseYaml(s, source);
  if (raw.length === 0) throw invalid(`${source}: no objects found`);
  const problems = raw.flatMap((d) => checkEnvelope(d, source));
  if (problems.length > 0) throw invalid(summarise(problems), problems);
  return raw.map((d) => ({ source, index: d.index, line: d.line, object: d.value as KObject }));
}
