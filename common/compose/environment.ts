// The variables a Compose project is interpolated with: the process environment over the `.env`
// file beside the (first) Compose file, as Compose reads them; and env_file contents.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { invalid } from '../errors';
import type { Environment } from './interpolate';

function readText(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw invalid(`${what}: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/** `.env` beside `projectDir` (absent: nothing) under `processEnv`. */
export function projectEnvironment(projectDir: string, processEnv: Environment): Environment {
  const dotenvFile = path.join(projectDir, '.env');
  const fromFile = fs.existsSync(dotenvFile) ? parseDotenv(readText(dotenvFile, '.env')) : {};
  return { ...fromFile, ...processEnv };
}

/** The variables of an env_file (dotenv format), relative to the project directory. */
export function readEnvFile(projectDir: string, file: string, what: string): Record<string, string> {
  return parseDotenv(readText(path.resolve(projectDir, file), what));
}

/** A file a config or secret names, relative to the project directory. */
export function readProjectFile(projectDir: string, file: string, what: string): string {
  return readText(path.resolve(projectDir, file), what);
}
