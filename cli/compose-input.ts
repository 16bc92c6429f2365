// -f sources that may be Compose files: each source is what it is. Compose files (by name, or a
// top-level services mapping without apiVersion/kind) are merged in order into one project and
// converted; the rest are Kubernetes manifests. Everything is validated before anything is sent.
import * as fs from 'node:fs';
import type { KObject, StorageClass } from '../common/api/types';
import { convertProject, isComposeText, loadComposeProject, type Conversion } from '../common/compose';
import { isKiteError } from '../common/errors';
import { type ManifestDoc, validateManifests } from '../common/manifest';
import { DEFAULT_CLASS_ANNOTATION } from '../common/manifest/storage-fields';
import type { KiteClient } from '../common/client';
import { readManifests } from './files';

export interface ComposeFlags {
  projectName?: string;
  profile?: string[];
}

/** Whether a -f source is a Compose file (a directory or stdin never is). */
export function isComposeSource(src: string): boolean {
  if (src === '-') return false;
  let st: fs.Stats;
  try {
    st = fs.statSync(src);
  } catch {
    return false;
  }
  if (!st.isFile() || st.size > 4 * 1024 * 1024) return false;
  return isComposeText(fs.readFileSync(src, 'utf8'), src);
}

export interface LoadedInput {
  objects: KObject[];
  warnings: string[];
  /** The conversion of the Compose files, when there were some. */
  compose?: Conversion;
}

/** Whether the cluster has a default StorageClass; undefined when it cannot be asked (then claims are made). */
export async function hasDefaultStorageClass(client: KiteClient): Promise<boolean | undefined> {
  try {
    const classes = await client.list<StorageClass>('StorageClass');
    return classes.items.some((c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true');
  } catch (e) {
    if (isKiteError(e, 'Forbidden') || isKiteError(e, 'NotFound')) return undefined;
    throw e;
  }
}

/**
 * Reads every source; Compose files are converted (with `defaultStorageClass` deciding claims vs
 * emptyDir) and the result validated with the Kubernetes manifests as one set.
 */
export async function loadInput(sources: string[], flags: ComposeFlags, defaultStorageClass?: () => Promise<boolean | undefined>): Promise<LoadedInput> {
  const composeFiles = sources.filter(isComposeSource);
  const manifestSources = sources.filter((s) => !composeFiles.includes(s));
  const docs: ManifestDoc[] = manifestSources.length ? await readManifests(manifestSources) : [];
  let compose: Conversion | undefined;
  if (composeFiles.length) {
    const project = loadComposeProject(composeFiles, { projectName: flags.projectName });
    const usesVolumes = project.model.volumes !== undefined;
    compose = convertProject(project, { profiles: flags.profile, defaultStorageClass: usesVolumes && defaultStorageClass ? await defaultStorageClass() : undefined });
    const source = `${composeFiles.join(', ')} (converted)`;
    compose.objects.forEach((object, i) => docs.push({ source, index: i + 1, line: 0, object }));
  }
  const { objects, warnings } = validateManifests(docs);
  return { objects, warnings: [...(compose?.warnings ?? []), ...warnings], compose };
}
