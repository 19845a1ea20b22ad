import { ApiObject, App, Chart, JsonPatch, Lazy, ResolutionContext } from 'cdk8s';
import fc from 'fast-check';
import { seedRegion } from '../../examples/seed-platform/region.js';
import { renderPlainApiObject } from '../../lib/core/plain-render.js';

// The oracle is cdk8s's own render, `ApiObject.prototype.toJson` (resolve, sanitizeValue, JSON
// patches, key order): wherever the one-pass render answers, it must answer the same, and
// JSON.stringify compares key order too.
const cdk8sRender = (obj: ApiObject) => JSON.stringify(ApiObject.prototype.toJson.call(obj));

function apiObjects(app: App): ApiObject[] {
  return app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
}

describe('one-pass render of plain API objects', () => {
  it('renders every object of the seed region as cdk8s does, Lazy values and JSON patches included', () => {
    const app = new App();
    const chart = new Chart(app, 'platform', { disableResourceNameHashes: true });
    const platform = seedRegion(chart, 'us-east-1');
    platform.addModelService('extra-model');
    const objects = apiObjects(app);
    expect(objects.length).toBeGreaterThan(250);
    for (const obj of objects) {
      const fast = renderPlainApiObject(obj);
      expect(fast).toBeDefined();
      expect(JSON.stringify(fast)).toBe(cdk8sRender(obj));
    }
  });

  it('renders random plain data and metadata, Lazy values, holes and patches as cdk8s does', () => {
    const key = fc.oneof(fc.string(), fc.constantFrom('apiVersion', 'kind', 'metadata', 'a', 'B', '10', '2', 'value', 'resolve'))
      // Keys cdk8s treats specially are in the next test.
      .filter((k) => k !== '__proto__' && k !== 'constructor');
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ maxDepth: 4 },
        fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.sparseArray(tie('value'), { maxLength: 4 }),
        fc.dictionary(key, tie('value'), { maxKeys: 4, noNullPrototype: true }),
        tie('value').map((v) => Lazy.any({ produce: () => v }))),
    }));
    let n = 0;
    const top = fc.dictionary(key.filter((k) => !['apiVersion', 'kind', 'metadata'].includes(k)), value, { maxKeys: 5, noNullPrototype: true });
    // Metadata: cdk8s drops empty arrays and objects there (and only there), at any depth.
    const empties = fc.oneof(fc.constant([]), fc.constant({}), fc.constant({ a: {} }), fc.constant([[]]), fc.constant({ a: [], b: null }));
    const meta = fc.record({
      labels: fc.dictionary(key, fc.string(), { maxKeys: 3, noNullPrototype: true }),
      annotations: fc.dictionary(key, fc.string(), { maxKeys: 2, noNullPrototype: true }),
      finalizers: fc.array(fc.string(), { maxLength: 2 }),
      extra: fc.dictionary(fc.constantFrom('generateName', 'uid', 'zz', 'managedFields'), fc.oneof(value, empties), { maxKeys: 2, noNullPrototype: true }),
    }, { requiredKeys: [] });
    fc.assert(fc.property(top, meta, fc.boolean(), fc.boolean(), (props, m, patch, unsorted) => {
      const app = new App();
      const chart = new Chart(app, 'c');
      const metadata = { name: 'x', ...m.extra, labels: m.labels, annotations: m.annotations, finalizers: m.finalizers };
      const obj = new ApiObject(chart, `o${n++}`, { apiVersion: 'v1', kind: 'ConfigMap', ...props, metadata } as never);
      if (patch) obj.addJsonPatch(JsonPatch.add('/metadata/annotations', { z: '1', y: '2' }), JsonPatch.remove('/kind'));
      if (unsorted) process.env.CDK8S_DISABLE_SORT = '1';
      try {
        const fast = renderPlainApiObject(obj);
        expect(fast).toBeDefined();
        expect(JSON.stringify(fast)).toBe(cdk8sRender(obj));
      } finally {
        delete process.env.CDK8S_DISABLE_SORT;
      }
    }), { numRuns: 500 });
  });

  it('leaves to cdk8s what it cannot be sure of: custom resolvers, class instances, functions, __proto__ and constructor keys', () => {
    class Quantity { constructor(readonly value: string) {} }
    const cases: Array<[string, App, Record<string, unknown>]> = [
      ['a custom resolver', new App({ resolvers: [{ resolve: (c: ResolutionContext) => { if (c.value === 'x') c.replaceValue('y'); } }] }), { data: { a: 'x' } }],
      ['a union type instance', new App(), { data: { a: new Quantity('1Gi') } }],
      ['an object with resolve()', new App(), { data: { a: { resolve: () => 'r' } } }],
      ['a __proto__ key', new App(), { data: JSON.parse('{"__proto__": {"a": "b"}}') }],
      ['a constructor key', new App(), { data: { constructor: 'x' } }],
    ];
    for (const [what, app, props] of cases) {
      const obj = new ApiObject(new Chart(app, 'c'), 'o', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, ...props });
      expect([what, renderPlainApiObject(obj)]).toEqual([what, undefined]);
    }
  });
});
