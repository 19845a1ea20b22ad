// `npm run bench:rules`: what the seed's rules cost Prometheus at production cardinality. Every
// PrometheusRule the seed platform synthesizes for us-east-1 is loaded into the deployed
// Prometheus (3.5, `.tools/deployed`), on 127.0.0.1 with a temporary TSDB, which scrapes a
// production-shaped fake fleet (test/examples/seed-exposition.ts, scaled by FLEET below) from an
// in-process exporter. After a warm-up, it records each group's `evaluationTime` over several
// evaluations (`/api/v1/rules`) and the series its rules produce (`/api/v1/query`), and prints
// per group: median and max evaluation time, share of the group's own interval (as deployed),
// series produced, then the rules that read the most samples. Targets: every group under 10% of
// its interval, the whole rule set under 5% of one core; exits non-zero when one is missed.
// Generic over whatever rules the seed emits.
//
// Two phases, so that scraping does not compete with the evaluations it measures on a small
// machine: Prometheus first scrapes the fleet (and evaluates the rules, so that chained records
// get a history) for RULES_BENCH_WARMUP_S; then it is killed (SIGKILL: no staleness markers),
// the exporter is stopped, and it is restarted on the same TSDB with the rules and its own
// scrape only. The fleet's last samples stay within the 5m lookback for the measurement.
// Evaluation runs every EVAL_S seconds (not the groups' 1m/5m/1h) so that every group is
// evaluated several times in a few minutes; the expressions, and so their cost, are unchanged.
// Knobs: RULES_BENCH_WARMUP_S (data before measuring, default 90), RULES_BENCH_CYCLES (default 4).
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { all, find } from '../test/support/synth.js';
import { seedObjects } from '../test/support/seed.js';
import { findTool, tmpDir, toolVersion } from '../test/support/tools.js';
import { closeServer, freePort, httpGet, portOf, ProcessGroup, sleep, waitFor } from '../test/support/processes.js';
import { fakeTargets, FleetShape, serveFleet, targetLabels } from '../test/examples/seed-exposition.js';

const REGION = 'us-east-1';
const FLEET: FleetShape = {
  nodes: 200, gpusPerNode: 8, services: 1000, podsPerService: 3, trainingJobs: 50,
  latencyBounds: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], // 12 buckets with +Inf
};
const SCRAPE_S = 15; // the seed's scrape interval
const EVAL_S = 15;
const WARMUP_S = Number(process.env.RULES_BENCH_WARMUP_S ?? 90);
const CYCLES = Number(process.env.RULES_BENCH_CYCLES ?? 4);
const GROUP_TARGET = 0.10;
const TOTAL_TARGET = 0.05;
const TOP_RULES = 15;

interface ApiRule { type: 'recording' | 'alerting'; name: string; query: string; labels?: Record<string, string>; alerts?: unknown[]; health: string; lastError?: string }
interface ApiGroup { name: string; file: string; rules: ApiRule[]; evaluationTime: number; lastEvaluation: string }

const seconds = (d: string) => {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(d);
  if (!m) throw new Error(`unsupported duration ${d}`);
  return Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
};
const selector = (r: ApiRule) => `${r.name}{${Object.entries(r.labels ?? {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const ms = (s: number) => `${(s * 1000).toFixed(s < 0.01 ? 2 : 1)} ms`;

const bin = findTool('prometheus');
if (!bin) throw new Error('prometheus not found: run bash .ci/install-prometheus-tools.sh');
const objects = seedObjects(REGION);
const defaultInterval = seconds(find(objects, 'Prometheus').spec.evaluationInterval ?? '30s');
const dir = tmpDir('aimon-rules-bench-');
const procs = new ProcessGroup();
let exporter: http.Server | undefined;

try {
  // The rule files, one per PrometheusRule, every group at EVAL_S; the deployed intervals are kept aside.
  const interval = new Map<string, number>();
  const ruleFiles = all(objects, 'PrometheusRule').map((rule) => {
    const file = path.join(dir, `${rule.metadata.name}.yaml`);
    for (const g of rule.spec.groups) interval.set(`${file};${g.name}`, g.interval ? seconds(g.interval) : defaultInterval);
    fs.writeFileSync(file, stringify({ groups: rule.spec.groups.map((g: any) => ({ ...g, interval: `${EVAL_S}s` })) }));
    return file;
  });

  const targets = fakeTargets(FLEET);
  exporter = await serveFleet(targets);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const address = `127.0.0.1:${portOf(exporter)}`;
  const monitors = [...all(objects, 'ServiceMonitor'), ...all(objects, 'PodMonitor')];
  // Two scrape jobs (with and without honor_labels); each target's static labels are what its
  // monitor's relabelling yields (a static `job` label takes precedence over job_name).
  const job = (honor: boolean) => ({
    job_name: honor ? 'fleet-honor-labels' : 'fleet',
    honor_labels: honor,
    static_configs: targets.flatMap((t, i) => ((t.honorLabels ?? false) === honor
      ? [{ targets: [address], labels: { job: t.job, ...targetLabels(t, monitors), __metrics_path__: `/t/${i}` } }] : [])),
  });
  const self = { job_name: 'prometheus', static_configs: [{ targets: [`127.0.0.1:${port}`], labels: { namespace: 'monitoring', pod: 'prometheus-main-0' } }] };
  const start = (scrapeConfigs: unknown[]) => {
    fs.writeFileSync(path.join(dir, 'prometheus.yaml'), stringify({
      global: { scrape_interval: `${SCRAPE_S}s`, scrape_timeout: `${SCRAPE_S - 5}s`, evaluation_interval: `${EVAL_S}s` },
      rule_files: ruleFiles,
      scrape_configs: scrapeConfigs,
    }));
    return procs.start(bin, [`--config.file=${path.join(dir, 'prometheus.yaml')}`, `--storage.tsdb.path=${path.join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`], 'prometheus');
  };
  const logs = () => procs.logs();
  const deadline = Date.now() + (WARMUP_S + (CYCLES + 2) * EVAL_S) * 1000 + 300_000;
  const ready = () => waitFor('Prometheus ready', async () => (await httpGet(`${base}/-/ready`)) ?? undefined, { deadline, logs });
  // Queries over the whole fleet can take longer than httpGetJson's 2 s on a busy machine.
  const getJson = async (url: string) => { try { return await (await fetch(url, { signal: AbortSignal.timeout(120_000) })).json() as any; } catch { return undefined; } };
  const query = async (q: string) => (await getJson(`${base}/api/v1/query?query=${encodeURIComponent(q)}`))?.data?.result ?? [];
  const value = async (q: string) => Number((await query(q))[0]?.value?.[1] ?? NaN);

  const scraping = start([self, job(false), job(true)]);
  await ready();
  console.error(`Prometheus ${toolVersion(bin)}; ${targets.length} targets; scraping for ${WARMUP_S}s...`);
  await sleep(WARMUP_S * 1000);
  const up = `${await value('count(up == 1)')}/${await value('count(up)')}`;
  const headSeries = await value('prometheus_tsdb_head_series');
  await procs.kill(scraping);
  await closeServer(exporter);
  exporter = undefined;
  const measuring = start([self]);
  await ready();
  console.error('restarted without the fleet; measuring...');
  // CPU seconds of the Prometheus process (Linux /proc: utime + stime, in clock ticks of 1/100 s).
  const cpu = () => fs.readFileSync(`/proc/${measuring.pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ').slice(11, 13).reduce((t, x) => t + Number(x) / 100, 0);
  const [cpu0, c0] = [cpu(), Date.now()];
  // Each group's evaluationTime at every new lastEvaluation, until each has CYCLES of them.
  const evalTimes = new Map<string, number[]>();
  const seen = new Map<string, string>();
  const groups = await waitFor(`${CYCLES} evaluations of every group`, async () => {
    const gs = ((await getJson(`${base}/api/v1/rules`))?.data?.groups ?? []) as ApiGroup[];
    for (const g of gs) {
      const key = `${g.file};${g.name}`;
      if (seen.get(key) === g.lastEvaluation) continue;
      seen.set(key, g.lastEvaluation);
      if (!evalTimes.has(key)) { evalTimes.set(key, []); continue; } // the evaluation in flight at the warm-up's end
      evalTimes.get(key)!.push(g.evaluationTime);
    }
    return gs.length > 0 && gs.every((g) => (evalTimes.get(`${g.file};${g.name}`)?.length ?? 0) >= CYCLES) ? gs : undefined;
  }, { deadline, logs, intervalMs: 1000 });

  const cpuShare = (cpu() - cpu0) / ((Date.now() - c0) / 1000);
  // Samples one evaluation of a rule reads (the query engine's own count): unlike wall time,
  // independent of what else the machine runs, so it compares rule versions on a busy machine.
  const samplesOf = async (expr: string, at: string) => {
    const res = await getJson(`${base}/api/v1/query?stats=all&time=${encodeURIComponent(at)}&query=${encodeURIComponent(expr)}`);
    return Number(res?.data?.stats?.samples?.totalQueryableSamples ?? NaN);
  };
  const rows = [];
  const perRule: Array<{ group: string; rule: string; samples: number }> = [];
  for (const g of groups) {
    const key = `${g.file};${g.name}`;
    let series = 0;
    let samples = 0;
    for (const r of g.rules) {
      series += r.type === 'recording' ? Number((await query(`count(${selector(r)})`))[0]?.value?.[1] ?? 0) : (r.alerts?.length ?? 0);
      const read = await samplesOf(r.query, g.lastEvaluation);
      samples += read;
      perRule.push({ group: g.name, rule: `${r.name}${r.labels?.severity ? ` (${r.labels.severity})` : ''}`, samples: read });
    }
    const times = evalTimes.get(key)!;
    const errors = g.rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError ?? r.health}`);
    rows.push({ file: path.basename(g.file, '.yaml'), name: g.name, rules: g.rules.length, interval: interval.get(key)!, med: median(times), max: Math.max(...times), series, samples, errors });
  }
  rows.sort((a, b) => b.med / b.interval - a.med / a.interval);

  console.log(`Prometheus ${toolVersion(bin)}; fleet: ${FLEET.services} model services x ${FLEET.podsPerService} pods, ${FLEET.nodes} nodes x ${FLEET.gpusPerNode} GPUs, ${FLEET.trainingJobs} training jobs, ${FLEET.latencyBounds.length + 1}-bucket histograms: ${targets.length} targets (${up} up at the end of the scrape phase), ${headSeries} head series`);
  console.log(`Scraped every ${SCRAPE_S}s for ${WARMUP_S}s, then measured without scraping; every group evaluated every ${EVAL_S}s, median (max) of ${CYCLES} evaluations; share = median / the group's deployed interval.\n`);
  console.log('| group | PrometheusRule | rules | interval | evaluation time, median (max) | share of interval | samples read per evaluation | series produced |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) console.log(`| ${r.name} | ${r.file} | ${r.rules} | ${r.interval}s | ${ms(r.med)} (${ms(r.max)}) | ${(100 * r.med / r.interval).toFixed(2)}% | ${r.samples} | ${r.series} |`);
  const total = rows.reduce((sum, r) => sum + r.med / r.interval, 0);
  console.log(`\n${rows.length} groups, ${rows.reduce((n, r) => n + r.rules, 0)} rules, ${rows.reduce((n, r) => n + r.samples, 0)} samples read per round of evaluations, ${rows.reduce((n, r) => n + r.series, 0)} series produced; rule evaluation at the deployed intervals: ${(100 * total).toFixed(2)}% of one core (Prometheus used ${(100 * cpuShare).toFixed(0)}% of a core while evaluating every group every ${EVAL_S}s)`);

  // Where the samples go: the rules that read the most, for restructuring.
  console.log(`\n| most expensive rules | group | samples read per evaluation |\n| --- | --- | ---: |`);
  for (const r of perRule.sort((a, b) => b.samples - a.samples).slice(0, TOP_RULES)) console.log(`| ${r.rule} | ${r.group} | ${r.samples} |`);

  const failures = [
    ...rows.filter((r) => r.med / r.interval > GROUP_TARGET).map((r) => `${r.name} takes ${(100 * r.med / r.interval).toFixed(1)}% of its ${r.interval}s interval (target under ${100 * GROUP_TARGET}%)`),
    ...(total > TOTAL_TARGET ? [`the rule set takes ${(100 * total).toFixed(1)}% of one core (target under ${100 * TOTAL_TARGET}%)`] : []),
    ...rows.flatMap((r) => r.errors.map((e) => `${r.name} / ${e}`)),
  ];
  if (failures.length) {
    console.error(`\nTargets missed:\n- ${failures.join('\n- ')}`);
    process.exitCode = 1;
  } else {
    console.log('All targets met.');
  }
} finally {
  await procs.stopAll();
  if (exporter) await closeServer(exporter);
  fs.rmSync(dir, { recursive: true, force: true });
}
