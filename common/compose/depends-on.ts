// depends_on: both forms as one list, checked (unknown services, cycles), and what the conversion
// puts on a dependent's pod template for the depends-on controller to hold it back.
import { invalid } from '../errors';
import { dependsOnMapping } from './merge';
import { DEPENDENCY_CONDITIONS, type Dependency, type DependencyCondition } from '../api/depends-on';

// The gate, the annotation and their format are the depends-on controller's contract (common/api/depends-on.ts).
export { DEPENDS_ON_ANNOTATION, DEPENDS_ON_GATE, type Dependency, type DependencyCondition } from '../api/depends-on';

const CONDITIONS = new Set<string>(DEPENDENCY_CONDITIONS);

/**
 * A service's dependencies on active services. An unknown or inactive service is an error unless
 * `required: false` (then a warning, as Compose).
 */
export function dependenciesOf(service: string, dependsOn: unknown, active: ReadonlySet<string>, all: ReadonlySet<string>, file: string, warnings: string[]): Dependency[] {
  const out: Dependency[] = [];
  for (const [dep, raw] of Object.entries(dependsOnMapping(dependsOn))) {
    const o = (raw ?? {}) as { condition?: string; required?: boolean | string };
    const condition = o.condition ?? 'service_started';
    const where = `${file}: services.${service}.depends_on.${dep}`;
    if (!CONDITIONS.has(condition)) throw invalid(`${where}: condition "${condition}" is not one of ${[...CONDITIONS].join(', ')}`);
    const required = o.required !== false && o.required !== 'false';
    if (!active.has(dep)) {
      const why = all.has(dep) ? `service "${dep}" is not enabled by any active profile` : `service "${dep}" is not defined`;
      if (required) throw invalid(`${where}: ${why}`);
      warnings.push(`${where}: ${why}; ignored (required: false)`);
      continue;
    }
    out.push({ service: dep, condition: condition as DependencyCondition });
  }
  return out;
}

/** Throws `invalid` naming the first cycle found, e.g. `depends_on cycle: web -> api -> web`. */
export function checkNoCycles(graph: ReadonlyMap<string, Dependency[]>, file: string): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (s: string): void => {
    if (state.get(s) === 'done') return;
    if (state.get(s) === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(s)), s];
      throw invalid(`${file}: depends_on cycle: ${cycle.join(' -> ')}`);
    }
    state.set(s, 'visiting');
    stack.push(s);
    for (const d of graph.get(s) ?? []) visit(d.service);
    stack.pop();
    state.set(s, 'done');
  };
  for (const s of [...graph.keys()].sort()) visit(s);
}
