import { App, Chart, Yaml } from 'cdk8s';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { seedRegion } from '../../examples/seed-platform/region.js';
import { fastDocument, fastYamlStringify, useFastYamlWriter } from '../../lib/core/fast-yaml.js';

// The oracle is the `yaml` package called exactly as cdk8s 2.70 calls it in `Yaml.stringify`
// (cdk8s/lib/yaml.js): every document the fast writer covers must come out byte for byte the same.
const cdk8sYaml = (doc: unknown) => stringify(doc, { keepUndefined: true, lineWidth: 0, version: '1.1' });

function platformDocs(services: number): unknown[] {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'fast-yaml-')) });
  const chart = new Chart(app, 'platform', { disableResourceNameHashes: true });
  const platform = seedRegion(chart, 'us-east-1');
  for (let i = 0; i < services; i++) platform.addModelService(`model-${i}`);
  return chart.toJson();
}

describe('fast YAML writer', () => {
  it.each([0, 200])('writes the bytes of cdk8s\'s writer for the seed region with %i extra model services, covering almost every object', (services) => {
    const docs = platformDocs(services);
    let covered = 0;
    for (const doc of docs) {
      const fast = fastDocument(doc);
      if (fast === undefined) continue;
      covered++;
      expect(fast).toBe(cdk8sYaml(doc));
    }
    // Multi-line strings (configuration files in ConfigMaps and Secrets) are block literals too.
    expect(covered / docs.length).toBeGreaterThan(0.98);
    expect(fastYamlStringify(...docs)).toBe(Yaml.stringify(...docs));
  });

  it('writes the bytes of `yaml` for random documents, or hands them over', () => {
    const key = fc.oneof(fc.string(), fc.constantFrom('on', 'yes', 'y', 'n', 'null', '~', '1', '0x1F', '1_000', '2024-11-16', '<<', 'a: b', '-x', '.inf', 'app.kubernetes.io/name'));
    const str = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), key, fc.constantFrom('', ' x', 'x ', '#x', 'a #b', "it's", 'say "hi"', `'"`, '---x', '...', '%x', '12:30', '1e3', '0o17', '+1', '-1', 'True', 'NO', '{{ $labels.pod }}', 'sum by (a) (rate(x[5m])) > 0.5'),
      // Multi-line strings: chomping (none, one, several trailing newlines), leading spaces and
      // blank lines (the indentation indicator), trailing spaces, tabs, document markers, CRs.
      // Long one-line strings (a dashboard's JSON in a ConfigMap).
      fc.string({ minLength: 1001, maxLength: 1300 }), fc.constant(JSON.stringify({ title: "it's", panels: [{ expr: 'sum(x) > 0.5', legend: '{{pod}}' }] }).repeat(40)),
      // One-line strings built from yaml's indicators, quotes, spaces, tabs and tag look-alikes.
      fc.array(fc.constantFrom('a', ' ', '\t', ':', '#', '-', '?', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`', '.', '---', '...', '~', '1', '0x', 'e3', 'true', 'null', '\\', '\u00a0', '\u2028', 'é'), { minLength: 1, maxLength: 8 }).map((parts) => parts.join('')),
      fc.json(), fc.constantFrom('{"a":1}', '["x"]', '{"a":"b: c #d"}', '{}', '[]', '{"a":"\\n"}', '{"a":"\u0001"}', '{"a":"\u2028"}', '{"a": "b"} '),
      fc.array(fc.oneof(fc.string(), fc.constantFrom('', ' ', '  x', '\t', '---', '...', '# c', 'a: b', '- x', '\r', 'x ')), { minLength: 2, maxLength: 5 })
        .chain((lines) => fc.constantFrom('', '\n', '\n\n', ' \n', '\n ').map((tail) => lines.join('\n') + tail)));
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ maxDepth: 4 },
        str, fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(key, tie('value'), { maxKeys: 4 })),
    }));
    const doc = fc.oneof(fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 }), fc.array(value, { minLength: 1, maxLength: 4 }));
    let covered = 0;
    let blocks = 0;
    fc.assert(fc.property(doc, (d) => {
      const fast = fastDocument(d);
      if (fast !== undefined) {
        covered++;
        if (/(:|-) \|/.test(fast)) blocks++;
        expect(fast).toBe(cdk8sYaml(d));
      }
    }), { numRuns: 3000 });
    expect(covered).toBeGreaterThan(300);
    expect(blocks).toBeGreaterThan(100);
  });

  it('is what cdk8s writes once installed', () => {
    const original = Yaml.stringify;
    try {
      useFastYamlWriter();
      expect(Yaml.stringify).toBe(fastYamlStringify);
    } finally {
      (Yaml as unknown as { stringify: typeof original }).stringify = original;
    }
  });
});
