/**
 * Every PrometheusRule of a seed region, evaluated by the real Prometheus (the deployed 3.5) on
 * 127.0.0.1 against a fake fleet (./seed-exposition.ts) scraped like the cluster's monitors
 * scrape theirs. `promtool check rules` only parses and type-checks; this catches what fails
 * at evaluation time: "vector cannot contain metrics with the same labelset", "many-to-many
 * matching not allowed", "found duplicate series for the match group", and joins that never
 * match (recording rules that stay empty although their inputs exist).
 *
 * It checks evaluation, not values: a few seconds of samples in a 5m or 1h window make rates and
 * forecasts meaningless (rate() divides by the whole window), so some alerts fire for that alone.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { all } from '../support/synth.js';
import { seedObjects } from '../support/seed.js';
import { describeWithTool, tmpDir } from '../support/tools.js';
import { closeServer, freePort, httpGet, httpGetJson, portOf, ProcessGroup, waitFor } from '../support/processes.js';
import { FAKE_TARGETS, FakeTarget, serveFleet, targetLabels } from './seed-exposition.js';

const REGION = 'us-east-1';
/** Every group is evaluated this often (see `ruleFiles`). */
const EVAL_S = 2;
/** Evaluations of every group before the checks: chained records need a few, rates need 2 scrapes. */
const MIN_ITERATIONS = 8;
const BUDGET_MS = 55_000;

/**
 * Records that cannot have data after a few seconds of a healthy fleet, with why. Every other
 * recording rule must produce data.
 */
const EXPECTED_EMPTY: Record<string, string> = {
  'namespace_pod_container:container_cpu_cfs_throttled_periods:percent_increase5m_over_warning':
    'holds only containers throttled over the warning level (25%); the fake fleet throttles 5% and 15%',
};

interface ApiRule { type: 'recording' | 'alerting'; name: string; query: string; labels?: Record<string, string>; health: string; lastError?: string }
interface ApiGroup { name: string; file: string; rules: ApiRule[] }

/**
 * The seed's rule files, one per PrometheusRule. Each group's `interval` (1m, 5m, 1h in the seed)
 * is replaced by EVAL_S: that changes only how often a group runs, not what its expressions
 * compute, and lets a 5m or 1h group be evaluated several times within the test.
 */
function ruleFiles(dir: string): string[] {
  return all(seedObjects(REGION), 'PrometheusRule').map((rule) => {
    const file = path.join(dir, `${rule.metadata.name}.yaml`);
    const groups = rule.spec.groups.map((g: any) => ({ ...g, interval: `${EVAL_S}s` }));
    fs.writeFileSync(file, stringify({ groups }));
    return file;
  });
}

/** A fake target's labels after the `labeldrop` relabelings of the seed monitor that scrapes it. */
const labelsOf = (t: FakeTarget) => targetLabels(t, [...all(seedObjects(REGION), 'ServiceMonitor'), ...all(seedObjects(REGION), 'PodMonitor')]);

/** `name{k="v",...}` selecting a rule's own output series. */
const selector = (r: ApiRule) => `${r.name}{${Object.entries(r.labels ?? {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;

describeWithTool('prometheus', `seed ${REGION} rules evaluated by Prometheus`, (bin) => {
  const procs = new ProcessGroup();
  const started = Date.now();
  let exporter: http.Server | undefined;
  let dir = '';
  let base = '';
  let groups: ApiGroup[] = [];
  const logs = () => procs.logs();

  beforeAll(async () => {
    const deadline = Date.now() + BUDGET_MS;
    dir = tmpDir('aimon-seed-runtime-');
    exporter = await serveFleet(FAKE_TARGETS);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const address = `127.0.0.1:${portOf(exporter)}`;
    fs.writeFileSync(path.join(dir, 'prometheus.yaml'), stringify({
      global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: `${EVAL_S}s` },
      rule_files: ruleFiles(dir),
      scrape_configs: [
        // Prometheus itself: the self-monitoring rules read its prometheus_* series.
        { job_name: 'prometheus', static_configs: [{ targets: [`127.0.0.1:${port}`], labels: { namespace: 'monitoring', pod: 'prometheus-main-0' } }] },
        // One scrape config per fake target; its static labels are what its monitor's
        // relabelling yields (a static `job` label takes precedence over job_name).
        ...FAKE_TARGETS.map((t, i) => ({
          job_name: `target-${i}`,
          honor_labels: t.honorLabels ?? false,
          metrics_path: `/t/${i}`,
          static_configs: [{ targets: [address], labels: { job: t.job, ...labelsOf(t) } }],
        })),
      ],
    }));
    procs.start(bin, [
      `--config.file=${path.join(dir, 'prometheus.yaml')}`,
      `--storage.tsdb.path=${path.join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ], 'prometheus');
    await waitFor('Prometheus ready', async () => (await httpGet(`${base}/-/ready`)) ?? undefined, { deadline, logs });
    // Bounded: every group evaluated MIN_ITERATIONS times (about MIN_ITERATIONS * EVAL_S seconds).
    groups = await waitFor(`every rule group evaluated ${MIN_ITERATIONS} times`, async () => {
      const self = await httpGet(`${base}/metrics`);
      const iterations = [...(self ?? '').matchAll(/^prometheus_rule_group_iterations_total\{rule_group="[^"]*"\} (\S+)$/gm)].map((m) => Number(m[1]));
      if (iterations.length === 0 || Math.min(...iterations) < MIN_ITERATIONS) return undefined;
      return (await httpGetJson(`${base}/api/v1/rules`))?.data?.groups as ApiGroup[] | undefined;
    }, { deadline, logs, intervalMs: 500 });
  }, BUDGET_MS + 10_000);

  afterAll(async () => {
    await procs.stopAll();
    if (exporter) await closeServer(exporter);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    console.log(`seed rules runtime test: ${((Date.now() - started) / 1000).toFixed(1)}s`);
  });

  it('loads every rule group of the region', () => {
    const expected = all(seedObjects(REGION), 'PrometheusRule').flatMap((r) => r.spec.groups.map((g: any) => g.name));
    expect(groups.map((g) => g.name).sort()).toEqual([...expected].sort());
    expect(groups.flatMap((g) => g.rules).length).toBeGreaterThan(150);
  });

  it('no rule group has an evaluation failure', async () => {
    const self = (await httpGet(`${base}/metrics`)) ?? '';
    const failing = [...self.matchAll(/^prometheus_rule_evaluation_failures_total\{rule_group="([^"]*)"\} (\S+)$/gm)]
      .filter((m) => Number(m[2]) > 0)
      .map((m) => {
        const [file, name] = m[1].split(';');
        const group = groups.find((g) => g.name === name && g.file === file);
        const errors = (group?.rules ?? []).filter((r) => r.lastError).map((r) => `  ${r.name}: ${r.lastError}\n    ${r.query}`);
        return `${path.basename(file)} / ${name}: ${m[2]} failures\n${errors.join('\n')}`;
      });
    expect(failing).toEqual([]);
    const unhealthy = groups.flatMap((g) => g.rules.filter((r) => r.health !== 'ok').map((r) => `${g.name} / ${r.name}: ${r.health} ${r.lastError ?? ''}`));
    expect(unhealthy).toEqual([]);
  });

  it('recording rules produce data', async () => {
    const records = groups.flatMap((g) => g.rules.filter((r) => r.type === 'recording').map((r) => ({ group: g.name, rule: r })));
    const empty: string[] = [];
    for (const { group, rule } of records) {
      const res = await httpGetJson(`${base}/api/v1/query?query=${encodeURIComponent(selector(rule))}`);
      if (!res?.data?.result?.length) empty.push(`${group} / ${selector(rule)}`);
    }
    if (empty.length) console.log(`recording rules without data (${empty.length}/${records.length}):\n${empty.join('\n')}`);
    const unexpected = empty.filter((e) => !Object.keys(EXPECTED_EMPTY).some((name) => e.includes(` / ${name}{`)));
    expect(unexpected).toEqual([]);
    expect(records.length - empty.length).toBeGreaterThan(100);
  });

  it('alerts whose conditions the fleet meets are active (their join paths evaluated with data)', async () => {
    const alerts: Array<{ labels: Record<string, string>; state: string }> = (await httpGetJson(`${base}/api/v1/alerts`))?.data?.alerts ?? [];
    const names = new Set(alerts.map((a) => a.labels.alertname));
    console.log(`active alerts (${alerts.length}): ${[...names].sort().join(', ')}`);
    // Node 2 at 94% memory, its serving pod at 6% errors and 90% of its memory limit, its GPU at 85°C.
    for (const name of ['HighMemoryUsage', 'HighErrorRate', 'ModelErrorsUnderMemoryPressure', 'ModelResourceExhaustion',
      'ModelServingMemoryPressure', 'GpuTemperatureHigh', 'Watchdog']) {
      expect([name, names.has(name)]).toEqual([name, true]);
    }
    // Every allocated GPU is busy; the free one has no pod (not the exporter's) so is not "allocated".
    expect(alerts.filter((a) => a.labels.alertname === 'GpuAllocatedIdle').map((a) => a.labels)).toEqual([]);
  });
});
