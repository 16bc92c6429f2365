// kite convert -f compose.yaml [-f override.yaml] [-p NAME] [--profile P] [-o yaml|json]: print the
// Kubernetes objects a Compose project becomes, without a cluster (named volumes become claims).
import YAML from 'yaml';
import { invalid } from '../../common/errors';
import { type ComposeFlags, isComposeSource, loadInput } from '../compose-input';

export async function convertCommand(files: string[], opts: ComposeFlags & { output?: string }): Promise<void> {
  const output = opts.output ?? 'yaml';
  if (output !== 'yaml' && output !== 'json') throw invalid(`--output: "${output}" is not yaml or json`);
  const notCompose = files.filter((f) => !isComposeSource(f));
  if (notCompose.length) throw invalid(`${notCompose.join(', ')}: not a Compose file (expected compose.yaml or a file with a top-level services mapping and no apiVersion/kind)`);
  const { objects, warnings } = await loadInput(files, opts);
  for (const w of warnings) process.stderr.write(`Warning: ${w}\n`);
  if (output === 'json') process.stdout.write(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2) + '\n');
  else process.stdout.write(objects.map((o) => YAML.stringify(o, { aliasDuplicateObjects: false })).join('---\n'));
}
