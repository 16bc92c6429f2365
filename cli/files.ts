// Reading manifests for -f: a file, a directory (its .yaml/.yml/.json files, recursively) or "-" for stdin.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { invalid } from '../common/errors';
import { parseManifests, validateManifests, MAX_MANIFEST_BYTES, type ManifestDoc } from '../common/manifest';
import type { KObject } from '../common/api/types';

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

function listFiles(p: string): string[] {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    throw invalid(`the path "${p}" does not exist`);
  }
  if (st.isDirectory()) {
    return fs
      .readdirSync(p)
      .sort()
      .flatMap((name) => {
        const full = path.join(p, name);
        const s = fs.statSync(full);
        if (s.isDirectory()) return listFiles(full);
        return EXTENSIONS.has(path.extname(name)) ? [full] : [];
      });
  }
  return [p];
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > MAX_MANIFEST_BYTES) throw invalid(`stdin: manifest is larger than ${MAX_MANIFEST_BYTES / 1024 / 1024} MiB`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readManifests(sources: string[]): Promise<ManifestDoc[]> {
  const docs: ManifestDoc[] = [];
  for (const src of sources) {
    if (src === '-') {
      docs.push(...parseManifests(await readStdin(), 'stdin'));
      continue;
    }
    const files = listFiles(src);
    if (files.length === 0) throw invalid(`${src}: no .yaml, .yml or .json files found`);
    for (const f of files) {
      const size = fs.statSync(f).size;
      if (size > MAX_MANIFEST_BYTES) throw invalid(`${f}: manifest is ${(size / 1024 / 1024).toFixed(1)} MiB, larger than the ${MAX_MANIFEST_BYTES / 1024 / 1024} MiB limit`);
      docs.push(...parseManifests(fs.readFileSync(f), f));
    }
  }
  return docs;
}

/** Reads and validates every document; throws one error listing all problems, before anything is sent. */
export async function loadObjects(sources: string[]): Promise<{ objects: KObject[]; warnings: string[] }> {
  const docs = await readManifests(sources);
  return validateManifests(docs);
}
