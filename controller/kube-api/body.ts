// Request bodies: read with a size limit, parsed as JSON (or YAML for server-side apply), with
// errors that name the line and column, as a 400 or 413 Status.
import type * as http from 'node:http';
import YAML from 'yaml';
import { badRequest, tooLarge } from './status';

/** Kubernetes' own limit on a request body (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: http.IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) throw tooLarge(`the request body is ${declared} bytes; at most ${limit} are accepted`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(`the request body is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The body as JSON; a syntax error names the line and column. */
export function parseJson(body: Buffer, what = 'the request body'): unknown {
  const text = body.toString('utf8');
  if (!text.trim()) throw badRequest(`${what} is empty; a JSON object is required`);
  try {
    return JSON.parse(text);
  } catch (e) {
    const offset = firstSyntaxError(text);
    throw badRequest(`${what} is not valid JSON${offset === undefined ? '' : ` at ${lineColumn(text, offset)}`}: ${(e as Error).message}`);
  }
}

/**
 * Where JSON text first goes wrong (Node 20's JSON.parse does not always say): a small scanner
 * over the grammar, run only after JSON.parse has failed.
 */
export function firstSyntaxError(text: string): number | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = () => {
    if (text[i] !== '"') fail();
    for (i++; i < text.length; i++) {
      const c = text[i]!;
      if (c === '"') return void i++;
      if (c === '\\') i++;
      else if (c < ' ') fail();
    }
    fail();
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || !m[0]) fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    return number();
  };
  try {
    value();
    ws();
    return i < text.length ? i : undefined;
  } catch (at) {
    return typeof at === 'number' ? Math.min(at, text.length) : undefined;
  }
}

/** An apply body: YAML (JSON is YAML too); one document. */
export function parseYaml(body: Buffer, what = 'the request body'): unknown {
  const text = body.toString('utf8');
  if (!text.trim()) throw badRequest(`${what} is empty; an object is required`);
  // kubectl sends JSON (which is YAML too): the JSON parser is several times faster.
  if (text.trimStart().startsWith('{')) {
    try {
      return JSON.parse(text);
    } catch {
      // Not JSON after all: YAML says where it is wrong.
    }
  }
  const docs = YAML.parseAllDocuments(text);
  if (!Array.isArray(docs) || docs.length !== 1) throw badRequest(`${what} must hold exactly one YAML document`);
  const doc = docs[0]!;
  if (doc.errors.length) {
    const err = doc.errors[0]!;
    const pos = err.linePos?.[0];
    throw badRequest(`${what} is not valid YAML${pos ? ` at line ${pos.line}, column ${pos.col}` : ''}: ${err.message.split('\n')[0]}`);
  }
  return doc.toJS({ maxAliasCount: 100 });
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}
