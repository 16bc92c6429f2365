// Loading a Compose project: read each file, interpolate it, validate it against the schema, merge
// them in order, and settle the project name. Nothing is converted here.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { invalid } from '../errors';
import { type Environment, interpolateFile } from './interpolate';
import { projectEnvironment } from './environment';
import { mergeComposeFiles, stripTags } from './merge';
import { projectName } from './names';
import { parseComposeText } from './read';
import { schemaProblems } from './schema';

export interface ComposeProject {
  name: string;
  /** The directory of the first file: relative paths (env_file, binds, configs) start here. */
  dir: string;
  /** The first file's name, for messages. */
  file: string;
  model: Record<string, unknown>;
  env: Environment;
  warnings: string[];
}

export interface LoadOptions {
  projectName?: string;
  /** Defaults to process.env. */
  env?: Environment;
}

const MAX_COMPOSE_BYTES = 4 * 1024 * 1024;

function readComposeFile(file: string): string {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw invalid(`the path "${file}" does not exist`);
  }
  if (st.size > MAX_COMPOSE_BYTES) throw invalid(`${file}: larger than the 4 MiB limit`);
  return fs.readFileSync(file, 'utf8');
}

/** Loads and merges the given Compose files (in order); throws `invalid` listing every problem. */
export function loadComposeProject(files: string[], opts: LoadOptions = {}, readText: (file: string) => string = readComposeFile): ComposeProject {
  if (files.length === 0) throw invalid('no Compose file given');
  const first = files[0]!;
  const dir = path.dirname(path.resolve(first));
  const env = projectEnvironment(dir, opts.env ?? process.env);
  const warnings: string[] = [];
  const problems: string[] = [];
  const docs: Record<string, unknown>[] = [];
  for (const f of files) {
    const label = path.basename(f) === f ? f : path.relative(process.cwd(), f) || f;
    const { value, warnings: w } = interpolateFile(parseComposeText(readText(f), label), label, env);
    warnings.push(...w);
    problems.push(...schemaProblems(stripTags(value), label));
    docs.push(value);
  }
  if (problems.length) throw invalid(problems.length > 1 ? `${problems[0]} (and ${problems.length - 1} more problems)` : problems[0]!, problems);
  const model = mergeComposeFiles(docs);
  if (model.version !== undefined) warnings.push(`${first}: version is obsolete and ignored`);
  return { name: projectName(opts.projectName, model.name, first), dir, file: path.basename(first), model, env, warnings };
}
