// The whole seed platform through the real Prometheus tools: every PrometheusRule of both
// regions under `promtool check rules`, and every alert the platform defines (Prometheus and
// Loki ruler) routed by `amtool config routes test` through the seed's own route tree to the
// receiver of its incident class (plus automated remediation and the dead man's switch).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { MonitoringPlatform, SEED_INCIDENT_CLASSES, SEED_REGIONS, seedPlatform } from '../../lib/index.js';
import { modelServingWorkload } from '../../examples/seed-platform/model-serving.js';
import { seedGeoIpDatabase } from '../../examples/seed-platform/region.js';
import { all, find, Manifest, newChart, synth } from '../support/synth.js';
import { seedObjects } from '../support/seed.js';
import { describeWithTool, promtoolCheckRules, run, tmpDir } from '../support/tools.js';

/** Every alert rule of the platform with its static labels (Prometheus rules and the Loki ruler's). */
function alertsOf(objects: Manifest[]): Array<{ source: string; alert: string; labels: Record<string, string> }> {
  const fromGroups = (source: string, groups: any[]) => groups.flatMap((g) => g.rules.filter((r: any) => r.alert).map((r: any) => ({ source, alert: r.alert, labels: r.labels ?? {} })));
  const prometheus = all(objects, 'PrometheusRule').flatMap((o) => fromGroups(o.metadata.name, o.spec.groups));
  const loki = all(objects, 'ConfigMap').filter((o) => o.data?.['rules.yaml']).flatMap((o) => fromGroups(o.metadata.name, parse(o.data['rules.yaml']).groups));
  return [...prometheus, ...loki];
}

describeWithTool('promtool', 'seed platform rules under promtool', (promtool) => {
  it.each(SEED_REGIONS)('every PrometheusRule of %s passes promtool check rules', (region) => {
    const rules = all(seedObjects(region), 'PrometheusRule');
    expect(rules.length).toBeGreaterThan(10);
    for (const rule of rules) {
      const r = promtoolCheckRules(promtool, rule.spec.groups);
      expect([rule.metadata.name, r.status, r.output]).toEqual([rule.metadata.name, 0, expect.stringContaining('SUCCESS')]);
    }
  });
});

describeWithTool('amtool', 'seed platform routing under amtool', (amtool) => {
  // The seed's own configuration, as shipped: url_file for the dead man's switch included.
  const chart = newChart();
  new MonitoringPlatform(chart, 'Platform', seedPlatform('us-east-1', { modelServing: modelServingWorkload(chart), geoipDatabase: seedGeoIpDatabase() }));
  const objects = synth(chart);
  const file = path.join(tmpDir('aimon-seed-am-'), 'alertmanager.yaml');
  fs.writeFileSync(file, find(objects, 'Secret', 'alertmanager-ai-monitoring-config').stringData['alertmanager.yaml']);
  const alerts = alertsOf(objects);

  it('passes amtool check-config', () => {
    const r = run(amtool, ['check-config', file]);
    expect([r.status, r.output]).toEqual([0, expect.stringContaining('SUCCESS')]);
  });

  it('routes every alert of the platform to its incident class receiver', () => {
    expect(alerts.length).toBeGreaterThan(40);
    const automated = new Set(['ModelServingMemoryPressure', 'ModelServingHighLatency']);
    const seen = new Set<string>();
    for (const { source, alert, labels } of alerts) {
      const args = Object.entries({ alertname: alert, ...labels }).map(([k, v]) => `${k}=${v}`);
      if (seen.has(args.join(','))) continue;
      seen.add(args.join(','));
      const tier = alert === 'Watchdog' ? 'deadmansswitch' : SEED_INCIDENT_CLASSES[labels.incident_class as 'critical' | 'high' | 'medium'].receiver;
      // The high-latency rule only remediates (no notify action); memory pressure also tells people.
      const expected = alert === 'ModelServingHighLatency' ? 'incident-response' : automated.has(alert) ? `incident-response,${tier}` : tier;
      const r = run(amtool, ['config', 'routes', 'test', `--config.file=${file}`, `--verify.receivers=${expected}`, ...args]);
      const routed = r.output.split('\n')[0].trim(); // amtool adds a warning line about --alertmanager.url
      expect([source, alert, labels.severity, r.status, routed]).toEqual([source, alert, labels.severity, 0, expected]);
    }
    expect(seen.size).toBeGreaterThan(40);
  });
});
