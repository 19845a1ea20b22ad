/**
 * Failure test on 127.0.0.1: two real Alertmanagers (the deployed 0.28) clustered through gossip run
 * the alertmanager.yaml that `IncidentRouting` synthesizes (HA: 2 replicas by default). Like
 * Prometheus, the test sends every alert to every Alertmanager. One Alertmanager is SIGKILLed and
 * the webhook receiver must still get the alert exactly once.
 *
 * How Alertmanager HA avoids both loss and duplicates: each peer sorts the cluster members by
 * name; the peer at position p waits p x `--cluster.peer-timeout` before notifying, then skips
 * the notification if the notification log (gossiped between peers) already records it. So
 * - if the first peer dies before notifying, the second notifies after one peer timeout;
 * - if the first peer notifies and then dies, the second finds the entry in its gossiped copy
 *   of the log and stays silent.
 * Timings are short through construct props (group wait/interval) and cluster flags.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { ChildProcess } from 'node:child_process';
import { AlertRules, IncidentRouting, Receiver, seedThresholdAlerts } from '../../lib/alerting/index.js';
import { all, find, newChart, synth } from '../support/synth.js';
import { describeWithTool, tmpDir } from '../support/tools.js';
import {
  closeServer, freePort, httpGet, httpGetJson, httpPostJson, listen, metricValue, portOf, ProcessGroup, sleep, waitFor,
} from '../support/processes.js';

const TOKEN = 'ha-webhook-token';
const GROUP_WAIT_S = 2;
const GROUP_INTERVAL_S = 2;
/** Delay of the second peer (position 1) before it notifies. */
const PEER_TIMEOUT_S = 3;
/** After the first delivery, a duplicate would come from the second peer (one peer timeout) or a
 * group-interval re-flush: watch longer than both. */
const DUPLICATE_WINDOW_MS = (PEER_TIMEOUT_S + 2 * GROUP_INTERVAL_S + 1) * 1000;
/** Each case, processes included, stays within this budget. */
const CASE_BUDGET_MS = 40_000;
const TEST_TIMEOUT_MS = 60_000;

interface Delivery { at: number; auth?: string; body: any }

interface Peer { child: ChildProcess; url: string; name: string; position: number }

/** The synthesized alertmanager.yaml, the routing object and the labels of the seed's HighMemoryUsage critical rule. */
function synthesize(webhookUrl: string, secretsMountPath: string) {
  const chart = newChart();
  new AlertRules(chart, 'Thresholds', { namespace: 'monitoring', thresholds: seedThresholdAlerts() });
  const fast = { groupWait: `${GROUP_WAIT_S}s`, groupInterval: `${GROUP_INTERVAL_S}s`, repeatInterval: '1h' };
  new IncidentRouting(chart, 'Routing', {
    namespace: 'monitoring',
    receivers: [Receiver.webhook('oncall', { url: webhookUrl, bearerToken: { name: 'oncall-webhook', key: 'token' } })],
    classes: {
      critical: { responseTime: '5m', receiver: 'oncall', ...fast },
      high: { responseTime: '15m', receiver: 'oncall', ...fast },
      medium: { responseTime: '30m', receiver: 'oncall', ...fast },
    },
    secretsMountPath,
  });
  const objects = synth(chart);
  const rule = all(objects, 'PrometheusRule').flatMap((r) => r.spec.groups).flatMap((g: any) => g.rules)
    .find((r: any) => r.alert === 'HighMemoryUsage' && r.labels.severity === 'critical');
  return {
    config: find(objects, 'Secret', 'alertmanager-ai-monitoring-config').stringData['alertmanager.yaml'] as string,
    alertmanager: find(objects, 'Alertmanager', 'ai-monitoring'),
    ruleLabels: { alertname: rule.alert, ...rule.labels } as Record<string, string>,
  };
}

describeWithTool('alertmanager', 'Alertmanager HA: a peer is killed, the alert is delivered exactly once', (bin) => {
  const procs = new ProcessGroup();
  const deliveries: Delivery[] = [];
  let webhook: http.Server | undefined;
  let dir = '';
  let deadline = 0;

  const logs = () => `deliveries: ${JSON.stringify(deliveries.map((d) => ({ from: d.body.externalURL, alerts: d.body.alerts?.length })))}\n${procs.logs()}`;

  beforeEach(async () => {
    deadline = Date.now() + CASE_BUDGET_MS;
    deliveries.length = 0;
    dir = tmpDir('aimon-am-ha-');
    webhook = await listen((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        deliveries.push({ at: Date.now(), auth: req.headers.authorization, body: JSON.parse(body || '{}') });
        res.end('ok');
      });
    });
  });

  afterEach(async () => {
    await procs.stopAll();
    if (webhook) await closeServer(webhook);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Starts two clustered Alertmanagers on the synthesized configuration; resolves once the cluster has settled. */
  async function startCluster(): Promise<{ peers: Peer[]; ruleLabels: Record<string, string> }> {
    // Credentials arrive as mounted Secret files: the construct points at secretsMountPath/<secret>/<key>.
    const secrets = path.join(dir, 'secrets');
    fs.mkdirSync(path.join(secrets, 'oncall-webhook'), { recursive: true });
    fs.writeFileSync(path.join(secrets, 'oncall-webhook', 'token'), TOKEN);
    const { config, alertmanager, ruleLabels } = synthesize(`http://127.0.0.1:${portOf(webhook!)}/oncall`, secrets);
    expect(alertmanager.spec.replicas).toBe(2); // the construct asks for an HA pair, as run here
    fs.writeFileSync(path.join(dir, 'alertmanager.yaml'), config);

    const web = [await freePort(), await freePort()];
    const gossip = [await freePort({ udp: true }), await freePort({ udp: true })];
    const children = [0, 1].map((i) => procs.start(bin, [
      `--config.file=${path.join(dir, 'alertmanager.yaml')}`,
      `--storage.path=${path.join(dir, `am${i}`)}`,
      `--web.listen-address=127.0.0.1:${web[i]}`,
      `--web.external-url=http://127.0.0.1:${web[i]}`, // tells in each notification which peer sent it
      `--cluster.listen-address=127.0.0.1:${gossip[i]}`,
      `--cluster.advertise-address=127.0.0.1:${gossip[i]}`,
      `--cluster.peer=127.0.0.1:${gossip[1 - i]}`,
      `--cluster.peer-timeout=${PEER_TIMEOUT_S}s`,
      '--cluster.gossip-interval=50ms', // notification log entries reach the peer within ~100ms
      '--cluster.pushpull-interval=1s',
      '--cluster.settle-timeout=10s', // notifications wait for the cluster to settle (10 x gossip interval, 3 stable polls)
      '--cluster.probe-interval=200ms', // a killed peer is noticed quickly
      '--cluster.probe-timeout=100ms',
    ], `am${i}`));

    // Both peers see each other and have settled; positions follow the sorted member names.
    const status = await Promise.all([0, 1].map((i) => waitFor(`am${i} clustered and settled`, async () => {
      const s = await httpGetJson(`http://127.0.0.1:${web[i]}/api/v2/status`);
      return s?.cluster?.status === 'ready' && s.cluster.peers?.length === 2 ? s.cluster : undefined;
    }, { deadline, logs })));
    const names = status.map((s) => s.name as string);
    const sorted = [...names].sort();
    const peers = [0, 1].map((i) => ({ child: children[i], url: `http://127.0.0.1:${web[i]}`, name: names[i], position: sorted.indexOf(names[i]) }));
    return { peers: peers.sort((a, b) => a.position - b.position), ruleLabels };
  }

  /** What Prometheus does when the rule fires: the same alert to every Alertmanager. */
  async function fire(peers: Peer[], labels: Record<string, string>): Promise<void> {
    const alert = {
      labels: { ...labels, instance: 'gpu-node-1:9100', job: 'node-exporter' },
      annotations: { summary: 'Memory usage above critical threshold on gpu-node-1:9100' },
      startsAt: new Date().toISOString(),
      generatorURL: 'http://prometheus.example/graph',
    };
    await Promise.all(peers.map((p) => httpPostJson(`${p.url}/api/v2/alerts`, [alert])));
  }

  const webhookSends = async (peer: Peer) => metricValue(await httpGet(`${peer.url}/metrics`) ?? '', 'alertmanager_notifications_total', { integration: 'webhook' });

  it('the peer due to notify first is killed before it notifies: the other one notifies, once', async () => {
    const { peers: [first, second], ruleLabels } = await startCluster();
    await fire([first, second], ruleLabels);
    await procs.kill(first.child); // within the group wait: nothing was sent yet
    expect(deliveries).toEqual([]);

    const delivery = await waitFor('a delivery from the surviving peer', () => deliveries[0], { deadline, logs });
    await sleep(DUPLICATE_WINDOW_MS);

    expect(deliveries).toHaveLength(1);
    expect(delivery.body.externalURL).toBe(second.url);
    expect(delivery.body.receiver).toBe('oncall');
    expect(delivery.body.alerts).toHaveLength(1);
    expect(delivery.body.alerts[0]).toMatchObject({ status: 'firing', labels: { alertname: 'HighMemoryUsage', severity: 'critical', incident_class: 'high' } });
    expect(delivery.auth).toBe(`Bearer ${TOKEN}`); // read from the mounted Secret file
    expect(await webhookSends(second)).toBe(1);
  }, TEST_TIMEOUT_MS);

  it('the first peer notifies and is killed at once: the other one finds it in the gossiped notification log and stays silent', async () => {
    const { peers: [first, second], ruleLabels } = await startCluster();
    const fired = Date.now();
    await fire([first, second], ruleLabels);

    const delivery = await waitFor('a delivery from the first peer', () => deliveries[0], { deadline, logs });
    expect(delivery.body.externalURL).toBe(first.url);
    await sleep(300); // a few gossip intervals for the log entry to reach the peer
    await procs.kill(first.child);
    // The second peer has not decided yet: it notifies no earlier than group wait + one peer timeout.
    expect(Date.now() - fired).toBeLessThan((GROUP_WAIT_S + PEER_TIMEOUT_S) * 1000);

    await sleep(DUPLICATE_WINDOW_MS);
    expect(deliveries).toHaveLength(1);
    expect(await webhookSends(second)).toBe(0);
    // It did hold the alert and run it through its pipeline up to the deduplication.
    const metrics = await httpGet(`${second.url}/metrics`) ?? '';
    expect(metricValue(metrics, 'alertmanager_alerts', { state: 'active' })).toBe(1);
    expect(metricValue(metrics, 'alertmanager_nflog_queries_total')).toBeGreaterThan(0);
  }, TEST_TIMEOUT_MS);
});
