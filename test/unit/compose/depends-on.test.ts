import assert from 'node:assert/strict';
import { checkNoCycles, dependenciesOf, type Dependency } from '../../../common/compose/depends-on';

const graph = (edges: Record<string, string[]>) => new Map<string, Dependency[]>(Object.entries(edges).map(([k, v]) => [k, v.map((service) => ({ service, condition: 'service_started' as const }))]));

describe('Compose depends_on', () => {
  const all = new Set(['web', 'db', 'cache', 'tools']);
  const active = new Set(['web', 'db', 'cache']);

  it('short and long forms', () => {
    const w: string[] = [];
    assert.deepEqual(dependenciesOf('web', ['db'], active, all, 'c.yaml', w), [{ service: 'db', condition: 'service_started' }]);
    assert.deepEqual(dependenciesOf('web', { db: { condition: 'service_healthy' }, cache: { condition: 'service_completed_successfully', restart: true } }, active, all, 'c.yaml', w), [
      { service: 'db', condition: 'service_healthy' },
      { service: 'cache', condition: 'service_completed_successfully' },
    ]);
  });

  it('an unknown or inactive service is an error, unless required: false (a warning)', () => {
    assert.throws(() => dependenciesOf('web', ['nope'], active, all, 'c.yaml', []), { message: 'c.yaml: services.web.depends_on.nope: service "nope" is not defined' });
    assert.throws(() => dependenciesOf('web', ['tools'], active, all, 'c.yaml', []), /service "tools" is not enabled by any active profile/);
    const w: string[] = [];
    assert.deepEqual(dependenciesOf('web', { nope: { condition: 'service_started', required: false } }, active, all, 'c.yaml', w), []);
    assert.equal(w.length, 1);
  });

  it('a cycle is an error naming it', () => {
    assert.throws(() => checkNoCycles(graph({ web: ['api'], api: ['db'], db: ['web'] }), 'c.yaml'), { message: 'c.yaml: depends_on cycle: api -> db -> web -> api' });
    assert.throws(() => checkNoCycles(graph({ web: ['web'] }), 'c.yaml'), /cycle: web -> web/);
    checkNoCycles(graph({ web: ['api', 'db'], api: ['db'], db: [] }), 'c.yaml');
  });
});
