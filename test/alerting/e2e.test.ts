/**
 * End to end on 127.0.0.1: the real Prometheus and Alertmanager (Debian packages) run the
 * synthesized PrometheusRules and the synthesized alertmanager.yaml. A small exporter serves
 * seed metrics above their thresholds, and a webhook server stands in for every receiver.
 * Short timings come from construct props; the synthesized output is used as is.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { metricNames } from '../../lib/core/promql.js';
import { AlertRules, IncidentRouting, Receiver, seedThresholdAlerts, SelfMonitoringRules } from '../../lib/alerting/index.js';
import { all, find, newChart, synth } from '../support/synth.js';
import { findTool, tmpDir } from '../support/tools.js';
import { closeServer, freePort, httpGet as get, listen, portOf, ProcessGroup, sleep, waitFor as poll } from '../support/processes.js';

const prometheusBin = findTool('prometheus');
const alertmanagerBin = findTool('alertmanager');
const describeE2E = prometheusBin && alertmanagerBin ? describe : describe.skip;

interface Delivery { path: string; auth?: string; body: any }

const TOKEN = 'e2e-bearer-token';
/** The whole suite, processes included, stays within this budget. */
const SUITE_BUDGET_MS = 45_000;
let suiteDeadline = Date.now() + SUITE_BUDGET_MS;

function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, logs: () => string): Promise<T> {
  return poll(what, probe, { deadline: suiteDeadline, intervalMs: 250, logs });
}

describeE2E('alerting end to end (prometheus + alertmanager on 127.0.0.1)', () => {
  const procs = new ProcessGroup();
  const servers: http.Server[] = [];
  const deliveries: Delivery[] = [];
  let dir = '';
  let promPort = 0;
  let amPort = 0;
  let rulesMetrics: string[] = [];

  const start = (bin: string, args: string[]) => procs.start(bin, args);
  const logs = () => `deliveries: ${JSON.stringify(deliveries.map((d) => [d.path, d.body?.alerts?.map((a: any) => a.labels)]))}\n${procs.logs(30)}`;

  beforeAll(async () => {
    suiteDeadline = Date.now() + SUITE_BUDGET_MS;
    dir = tmpDir('aimon-e2e-');
    const started = Date.now() / 1000;

    // Seed metrics: memory 95% used (critical), llm-a error ratio 2% (warning), llm-b healthy.
    const exporter = await listen((_req, res) => {
      const t = Date.now() / 1000 - started;
      res.setHeader('Content-Type', 'text/plain; version=0.0.4');
      res.end([
        'node_memory_MemTotal_bytes 1e10',
        'node_memory_MemAvailable_bytes 5e8',
        `model_requests_total{model="llm-a"} ${1000 + 100 * t}`,
        `model_request_errors_total{model="llm-a"} ${20 + 2 * t}`,
        `model_requests_total{model="llm-b"} ${1000 + 100 * t}`,
        'model_request_errors_total{model="llm-b"} 0',
        '',
      ].join('\n'));
    });
    const webhook = await listen((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        deliveries.push({ path: req.url ?? '', auth: req.headers.authorization, body: JSON.parse(body || '{}') });
        res.end('ok');
      });
    });
    servers.push(exporter, webhook);

    // Credentials arrive as mounted Secret files: write them where secretsMountPath points.
    const secrets = path.join(dir, 'secrets');
    fs.mkdirSync(path.join(secrets, 'webhook-auth'), { recursive: true });
    fs.writeFileSync(path.join(secrets, 'webhook-auth', 'token'), TOKEN);

    const chart = newChart();
    new AlertRules(chart, 'Thresholds', { namespace: 'monitoring', thresholds: seedThresholdAlerts({ for: '2s', rateWindow: '5s' }) });
    new SelfMonitoringRules(chart, 'Self', { namespace: 'monitoring', for: '1h' });
    const hook = (name: string) => Receiver.webhook(name, {
      url: `http://127.0.0.1:${portOf(webhook)}/${name}`, bearerToken: { name: 'webhook-auth', key: 'token' },
    });
    const fast = { groupWait: '1s', groupInterval: '1s', repeatInterval: '1m' };
    new IncidentRouting(chart, 'Routing', {
      namespace: 'monitoring',
      receivers: ['immediate', 'tier-2', 'tier-1', 'deadmansswitch'].map(hook),
      watchdogReceiver: 'deadmansswitch',
      watchdogInterval: '1s',
      classes: {
        critical: { responseTime: '5m', receiver: 'immediate', ...fast },
        high: { responseTime: '15m', receiver: 'tier-2', ...fast },
        medium: { responseTime: '30m', receiver: 'tier-1', ...fast },
      },
      secretsMountPath: secrets,
    });
    const objects = synth(chart);
    const groups = all(objects, 'PrometheusRule').flatMap((r) => r.spec.groups);
    rulesMetrics = [...new Set(groups.flatMap((g: any) => g.rules.flatMap((r: any) => metricNames(r.expr))))];
    fs.writeFileSync(path.join(dir, 'rules.yaml'), stringify({ groups }));
    fs.writeFileSync(path.join(dir, 'alertmanager.yaml'), find(objects, 'Secret', 'alertmanager-ai-monitoring-config').stringData['alertmanager.yaml']);

    [promPort, amPort] = [await freePort(), await freePort()];
    fs.writeFileSync(path.join(dir, 'prometheus.yaml'), stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: [path.join(dir, 'rules.yaml')],
      scrape_configs: [{ job_name: 'exporter', static_configs: [{ targets: [`127.0.0.1:${portOf(exporter)}`] }] }],
      alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${amPort}`] }] }] },
    }));
    start(alertmanagerBin!, [
      `--config.file=${path.join(dir, 'alertmanager.yaml')}`, `--storage.path=${path.join(dir, 'am')}`,
      `--web.listen-address=127.0.0.1:${amPort}`, '--cluster.listen-address=',
    ]);
    start(prometheusBin!, [
      `--config.file=${path.join(dir, 'prometheus.yaml')}`, `--storage.tsdb.path=${path.join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      // Alerts that fire at the first evaluation may find no Alertmanager discovered yet;
      // resend quickly rather than after the default minute.
      '--rules.alert.resend-delay=1s',
    ]);
    await waitFor('Alertmanager ready', () => get(`http://127.0.0.1:${amPort}/-/ready`), logs);
    await waitFor('Prometheus ready', () => get(`http://127.0.0.1:${promPort}/-/ready`), logs);
  }, 50_000);

  afterAll(async () => {
    await procs.stopAll();
    await Promise.all(servers.map(closeServer));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const alertAt = (receiver: string, labels: Record<string, string>) => () => {
    for (const d of deliveries) {
      if (d.path !== `/${receiver}` || d.body.receiver !== receiver) continue;
      const hit = d.body.alerts.find((a: any) => a.status === 'firing' && Object.entries(labels).every(([k, v]) => a.labels[k] === v));
      if (hit) return { delivery: d, alert: hit };
    }
    return undefined;
  };

  it('delivers a critical resource alert to tier-2 (incident class high) with its labels', async () => {
    const { delivery, alert } = await waitFor('HighMemoryUsage at tier-2', alertAt('tier-2', { alertname: 'HighMemoryUsage', severity: 'critical' }), logs);
    expect(alert.labels).toMatchObject({ incident_class: 'high', job: 'exporter' });
    expect(alert.annotations.description).toBe('Memory usage on ' + alert.labels.instance + ' is 95.0%, above the critical threshold of 90% for 2s.');
    expect(alert.annotations.runbook_url).toBe('https://runbooks.ai-monitoring.dev/alerts/high-memory-usage');
    expect(delivery.auth).toBe(`Bearer ${TOKEN}`); // read from the mounted Secret file
  });

  it('delivers a warning to tier-1 (incident class medium)', async () => {
    const { alert } = await waitFor('HighErrorRate at tier-1', alertAt('tier-1', { alertname: 'HighErrorRate', severity: 'warning' }), logs);
    expect(alert.labels).toMatchObject({ incident_class: 'medium', model: 'llm-a' });
    expect(alert.annotations.description).toBe('Error rate on model llm-a is 2%, above the warning threshold of 1% for 2s.');
  });

  it('sends the Watchdog to the dead man\'s switch', async () => {
    let found;
    try {
      found = await waitFor('Watchdog at deadmansswitch', alertAt('deadmansswitch', { alertname: 'Watchdog' }), logs);
    } catch (e) {
      throw new Error(`${(e as Error).message}\nAM: ${await get(`http://127.0.0.1:${amPort}/api/v2/alerts`)}`);
    }
    const { alert } = found;
    expect(alert.labels.severity).toBe('warning');
  });

  it('mutes the warning of an alert whose critical fires, and notifies nobody else', async () => {
    await sleep(1_500); // a few more group intervals
    const labels = (receiver: string) => deliveries.filter((d) => d.path === `/${receiver}`).flatMap((d) => d.body.alerts.map((a: any) => a.labels));
    expect(labels('tier-1').filter((l: any) => l.alertname === 'HighMemoryUsage')).toEqual([]);
    expect(labels('tier-1').filter((l: any) => l.model === 'llm-b')).toEqual([]);
    expect(labels('immediate')).toEqual([]);
  });

  it('reads self-monitoring metrics that the real binaries export', async () => {
    const exported = `${await get(`http://127.0.0.1:${promPort}/metrics`)}\n${await get(`http://127.0.0.1:${amPort}/metrics`)}`;
    const own = rulesMetrics.filter((m) => m.startsWith('prometheus_') || m.startsWith('alertmanager_'));
    expect(own.length).toBeGreaterThan(10);
    expect(own.filter((m) => !new RegExp(`^${m}[{ ]`, 'm').test(exported))).toEqual([]);
  });
});
