// Manifests in the shapes people bring from public examples and charts (test/fixtures/real-manifests)
// are accepted as written; the only warnings are for fields that truly have no effect in Kite.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifests } from '../../../common/manifest/parse';
import { validateManifests } from '../../../common/manifest/validate';

const DIR = join(__dirname, '..', '..', 'fixtures', 'real-manifests');
const EXAMPLES = join(__dirname, '..', '..', '..', 'examples');

/** The warnings each file may produce: each is a field Kite cannot give an effect to. */
const EXPECTED_WARNINGS: Record<string, RegExp[]> = {
  'spread-frontend.yaml': [/spec\.template\.spec\.priorityClassName: has no effect in Kite: Kite does not preempt/],
};

describe('real-world manifests', () => {
  it('includes the examples `npm run up` applies, which validate without warnings', () => {
    for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'))) {
      const { warnings } = validateManifests(parseManifests(readFileSync(join(EXAMPLES, file), 'utf8'), file));
      assert.deepEqual(warnings, [], file);
    }
  });

  const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

  it('has the fixtures', () => assert.ok(files.length >= 8, files.join(', ')));

  for (const file of files) {
    it(`accepts ${file} as written`, () => {
      const docs = parseManifests(readFileSync(join(DIR, file), 'utf8'), file);
      const { objects, warnings } = validateManifests(docs);
      assert.equal(objects.length, docs.length);
      const expected = EXPECTED_WARNINGS[file] ?? [];
      assert.equal(warnings.length, expected.length, `unexpected warnings:\n${warnings.join('\n')}`);
      expected.forEach((re, i) => assert.match(warnings[i]!, re));
    });
  }
});
