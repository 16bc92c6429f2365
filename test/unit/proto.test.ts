// The typed code in common/generated must be what `npm run gen:proto` makes from proto/: a
// changed .proto without regenerated types fails here instead of at run time.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)).map((f) => path.join(e.name, f)) : [e.name])).sort();
}

describe('generated proto types', () => {
  it('match proto/ exactly', function () {
    this.timeout(30_000);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-gen-'));
    try {
      const script = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts['gen:proto'] as string;
      const args = script.slice(script.indexOf('proto-loader-gen-types') + 'proto-loader-gen-types'.length).trim().split(/\s+/).map((a) => (a.startsWith('--outDir=') ? `--outDir=${out}` : a));
      execFileSync(path.join(ROOT, 'node_modules/.bin/proto-loader-gen-types'), args, { cwd: ROOT, stdio: 'pipe' });
      const committed = path.join(ROOT, 'common/generated');
      assert.deepEqual(files(out), files(committed));
      for (const f of files(out)) assert.equal(fs.readFileSync(path.join(out, f), 'utf8'), fs.readFileSync(path.join(committed, f), 'utf8'), `${f} is stale: run npm run gen:proto`);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
