import { validateManifest } from '../../lib/core/schema.js';
import { SEED_REGIONS } from '../../lib/index.js';
import { seedObjects } from '../support/seed.js';
import { Manifest } from '../support/synth.js';

/** The first object of each apiVersion/kind the seed platform emits (both regions). */
function oneOfEachKind(): Manifest[] {
  const seen = new Map<string, Manifest>();
  for (const region of SEED_REGIONS) {
    for (const o of seedObjects(region)) {
      const key = `${o.apiVersion}/${o.kind}`;
      if (!seen.has(key)) seen.set(key, o);
    }
  }
  return [...seen.values()];
}

function rejection(manifest: Manifest): string {
  try {
    validateManifest(manifest);
  } catch (e) {
    return (e as Error).message;
  }
  return 'accepted';
}

/** A deep copy with `value` set at a dotted path (array indexes as numbers). */
function withField(manifest: Manifest, path: Array<string | number>, value: unknown): Manifest {
  const copy = structuredClone(manifest);
  let o: any = copy;
  for (const k of path.slice(0, -1)) o = o[k];
  o[path[path.length - 1]] = value;
  return copy;
}

describe('strict schemas: unknown fields are rejected, as kubectl apply does', () => {
  const kinds = oneOfEachKind();

  it('the seed platform (both regions) synthesizes with every object passing the strict schemas', () => {
    // seedObjects() synthesizes, and synthesis validates every object: reaching here is the proof.
    for (const region of SEED_REGIONS) expect(seedObjects(region).length).toBeGreaterThan(100);
    expect(kinds.length).toBeGreaterThan(25);
  });

  it.each(kinds.map((k) => [`${k.apiVersion}/${k.kind}`, k]))('%s: a misspelled metadata field is rejected with its path', (_key, manifest) => {
    expect(rejection(withField(manifest, ['metadata', 'labelz'], { a: 'b' }))).toMatch('unknown field "metadata.labelz"');
  });

  it.each(kinds.filter((k) => k.spec && typeof k.spec === 'object').map((k) => [`${k.apiVersion}/${k.kind}`, k]))(
    '%s: a misspelled spec field (a copy of the first one, renamed) is rejected with its path',
    (_key, manifest) => {
      const first = Object.keys(manifest.spec)[0];
      expect(rejection(withField(manifest, ['spec', `${first}x`], manifest.spec[first]))).toMatch(`unknown field "spec.${first}x"`);
    },
  );

  const byKind = (kind: string) => kinds.find((k) => k.kind === kind)!;

  it.each<[string, Array<string | number>]>([
    ['Prometheus', ['spec', 'retentionn']],
    ['Deployment', ['spec', 'template', 'spec', 'containers', 0, 'resouces']],
    ['StatefulSet', ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'runAsNonRoott']],
    ['PrometheusRule', ['spec', 'groups', 0, 'rules', 0, 'exprr']],
    ['Alertmanager', ['spec', 'storage', 'volumeClaimTemplate', 'spec', 'resouces']],
    ['ScaledObject', ['spec', 'triggers', 0, 'metadataa']],
    ['WorkflowTemplate', ['spec', 'templates', 0, 'retryStrateg']],
    ['EventBus', ['spec', 'jetstream', 'replica']],
    ['EventSource', ['spec', 'webhook', 'alerts', 'endpont']],
    ['EventSource', ['spec', 'template', 'container', 'resouces']],
    ['Sensor', ['spec', 'dependencies', 0, 'filters', 'data', 0, 'paths']],
    ['Sensor', ['spec', 'triggers', 0, 'template', 'argoWorkflow', 'operations']],
    ['NetworkPolicy', ['spec', 'ingresss']],
  ])('%s: a deep typo at %j is rejected naming that path', (kind, path) => {
    const m = byKind(kind);
    const shown = path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${p}`)).join('');
    expect(rejection(withField(m, path, 1))).toMatch(`unknown field "${shown}"`);
  });

  it('maps and open subtrees stay open: labels, ConfigMap data, the Sensor trigger resource', () => {
    expect(rejection(withField(byKind('ConfigMap'), ['data', 'any-new-key.yaml'], 'x'))).toBe('accepted');
    expect(rejection(withField(byKind('Deployment'), ['metadata', 'labels', 'team.example.com/any'], 'x'))).toBe('accepted');
    const sensor = byKind('Sensor');
    expect(rejection(withField(sensor, ['spec', 'triggers', 0, 'template', 'argoWorkflow', 'source', 'resource', 'spec', 'anything'], 1))).toBe('accepted');
  });

  it('Argo Events: types, enums and required fields of v1.9 are checked', () => {
    expect(rejection(withField(byKind('EventBus'), ['spec', 'jetstream', 'replicas'], '3'))).toMatch('spec.jetstream.replicas must be an integer');
    expect(rejection(withField(byKind('Sensor'), ['spec', 'dependencies', 0, 'filters', 'data', 0, 'type'], 'regex'))).toMatch('spec.dependencies[0].filters.data[0].type must be one of string, number, bool');
    expect(rejection(withField(byKind('Sensor'), ['spec', 'triggers'], []))).toMatch('spec.triggers must be an array of at least 1');
    expect(rejection(withField(byKind('EventSource'), ['spec', 'webhook', 'alerts', 'endpoint'], 'alerts'))).toMatch('must be a path starting with "/"');
    expect(rejection(withField(byKind('EventSource'), ['spec', 'template', 'container', 'resources', 'limits'], 5))).toMatch('spec.template.container');
  });
});
