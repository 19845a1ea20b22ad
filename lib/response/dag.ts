import { ValidationError, show } from '../core/errors.js';

/** A node of a dependency graph: a name and the names it waits for. */
export interface DagNode {
  readonly name: string;
  readonly dependsOn: readonly string[];
}

/**
 * Checks a DAG before it becomes an Argo `dag` template and returns the names in a valid
 * execution order. Argo would only reject a cycle or a dangling dependency when the workflow is
 * submitted, that is during an incident; here both fail at construction, naming the culprit.
 */
export function topologicalOrder(nodes: readonly DagNode[], prop = 'steps'): string[] {
  const byName = new Map<string, DagNode>();
  for (const n of nodes) {
    if (byName.has(n.name)) throw new ValidationError(`'${prop}' must have unique names, got duplicate ${show(n.name)}`);
    byName.set(n.name, n);
  }
  for (const n of nodes) {
    for (const d of n.dependsOn) {
      if (!byName.has(d)) {
        throw new ValidationError(`'${prop}.${n.name}.dependsOn' must name steps of the workflow (${[...byName.keys()].join(', ')}), got unknown step ${show(d)}`);
      }
      if (d === n.name) throw new ValidationError(`'${prop}.${n.name}.dependsOn' must not contain the step itself, got a cycle ${n.name} -> ${n.name}`);
    }
  }
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(name)), name].join(' -> ');
      throw new ValidationError(`'${prop}' must form a directed acyclic graph, got a cycle ${cycle}`);
    }
    state.set(name, 'visiting');
    for (const d of byName.get(name)!.dependsOn) visit(d, [...path, name]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const n of nodes) visit(n.name, []);
  return order;
}
