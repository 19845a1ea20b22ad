import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * The API objects of a chart by kind, namespace and name. Constructs that check at synthesis
 * that an object they refer to exists (remediation targets, objects a step requires) used to
 * walk the whole chart per lookup, which at 10,000 model services is a walk of 45,000
 * constructs per check. The index is built by one walk and kept per chart; constructs are only
 * ever added, so a lookup that misses walks the chart again (the object may be new), and a hit
 * is confirmed still attached (the tree allows removing a child).
 */
const indexes = new WeakMap<Chart, Map<string, ApiObject>>();

const keyOf = (kind: string, namespace: string | undefined, name: string) => JSON.stringify([kind, namespace ?? null, name]);

function build(chart: Chart): Map<string, ApiObject> {
  const index = new Map<string, ApiObject>();
  for (const c of chart.node.findAll()) {
    if (!(c instanceof ApiObject)) continue;
    const key = keyOf(c.kind, c.metadata.namespace, c.name);
    if (!index.has(key)) index.set(key, c); // the first in tree order, as `findAll().find()` gives
  }
  indexes.set(chart, index);
  return index;
}

function attached(c: IConstruct, chart: Chart): boolean {
  for (let child = c, parent = c.node.scope; parent; child = parent, parent = parent.node.scope) {
    if (parent.node.tryFindChild(child.node.id) !== child) return false;
    if (parent === chart) return true;
  }
  return false;
}

/** The API object of `kind` `namespace`/`name` in the chart of `scope`, or undefined. */
export function findApiObject(scope: IConstruct, kind: string, namespace: string | undefined, name: string): ApiObject | undefined {
  const chart = Chart.of(scope);
  const key = keyOf(kind, namespace, name);
  const hit = indexes.get(chart)?.get(key);
  if (hit && attached(hit, chart)) return hit;
  return build(chart).get(key);
}
