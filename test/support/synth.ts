import { App, Chart, Testing } from 'cdk8s';

/** A fresh chart for a test (resource names without hashes, as users synthesize them). */
export function newChart(): Chart {
  return new Chart(Testing.app(), 'test', { disableResourceNameHashes: true });
}

export type Manifest = Record<string, any>;

/** Synthesizes a chart (validating every object against its schema) and returns the manifests. */
export function synth(chart: Chart): Manifest[] {
  return Testing.synth(chart) as Manifest[];
}

/** The one manifest of this kind and name; throws if absent so a test fails with a clear message. */
export function find(objects: Manifest[], kind: string, name?: string): Manifest {
  const hit = objects.find((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
  if (!hit) throw new Error(`no ${kind}${name ? `/${name}` : ''} among ${objects.map((o) => `${o.kind}/${o.metadata?.name}`).join(', ')}`);
  return hit;
}

export function all(objects: Manifest[], kind: string): Manifest[] {
  return objects.filter((o) => o.kind === kind);
}

export { App };
