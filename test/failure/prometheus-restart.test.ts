/**
 * Failure test on 127.0.0.1: the real Prometheus (the deployed 3.5) runs the synthesized seed
 * threshold rules against a tiny exporter, keeps its TSDB in a temp dir, and is restarted
 * (SIGTERM, then started again on the same data dir) while an alert is pending, and in a second
 * case while it fires. The alert's state comes back from storage (the ALERTS_FOR_STATE series,
 * whose value is the alert's activeAt in seconds), so the alert neither drops nor restarts its
 * `for` wait.
 *
 * What Prometheus restores (rules/manager.go, RestoreForState, 3.5), after the second
 * evaluation following the restart:
 * - a firing alert gets its activeAt back (to the second) and fires again at once;
 * - a pending alert keeps the time it had already spent pending, but the outage does not count
 *   as pending time: activeAt moves forward by exactly the outage, so it fires when the rest of
 *   its `for` has elapsed (original activeAt + for + outage), not `for` after the restart.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { ChildProcess } from 'node:child_process';
import { stringify } from 'yaml';
import { AlertRules, seedThresholdAlerts } from '../../lib/alerting/index.js';
import { all, newChart, synth } from '../support/synth.js';
import { describeWithTool, tmpDir } from '../support/tools.js';
import { closeServer, freePort, httpGetJson, listen, portOf, ProcessGroup, sleep, waitFor } from '../support/processes.js';

const EVAL_S = 1;
/** Each case, processes included, stays within this budget (the jest timeout leaves room for teardown). */
const CASE_BUDGET_MS = 50_000;
const TEST_TIMEOUT_MS = 70_000;

interface ActiveAlert { labels: Record<string, string>; state: 'pending' | 'firing'; activeAt: string }

const seconds = (iso: string) => Date.parse(iso) / 1000;

describeWithTool('prometheus', 'Prometheus restart: pending and firing alerts keep their state', (bin) => {
  const procs = new ProcessGroup();
  let exporter: http.Server | undefined;
  let dir = '';
  let deadline = 0;
  let args: string[] = [];
  let api = '';
  let child: ChildProcess | undefined;

  beforeEach(async () => {
    deadline = Date.now() + CASE_BUDGET_MS;
    dir = tmpDir('aimon-prom-restart-');
    // Memory 80% used: above the seed's warning level (75%), below critical (90%): one alert.
    exporter = await listen((_req, res) => {
      res.setHeader('Content-Type', 'text/plain; version=0.0.4');
      res.end('node_memory_MemTotal_bytes 1e10\nnode_memory_MemAvailable_bytes 2e9\n');
    });
  });

  afterEach(async () => {
    await procs.stopAll();
    if (exporter) await closeServer(exporter);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const logs = () => procs.logs();

  /** Writes the synthesized rules (seed thresholds with a short `for`) and a config, and starts Prometheus. */
  async function start(forDuration: string): Promise<void> {
    const chart = newChart();
    new AlertRules(chart, 'Thresholds', { namespace: 'monitoring', thresholds: seedThresholdAlerts({ for: forDuration, rateWindow: '5s' }) });
    const groups = all(synth(chart), 'PrometheusRule').flatMap((r) => r.spec.groups);
    fs.writeFileSync(path.join(dir, 'rules.yaml'), stringify({ groups }));
    fs.writeFileSync(path.join(dir, 'prometheus.yaml'), stringify({
      global: { scrape_interval: '1s', evaluation_interval: `${EVAL_S}s` },
      rule_files: [path.join(dir, 'rules.yaml')],
      scrape_configs: [{ job_name: 'node', static_configs: [{ targets: [`127.0.0.1:${portOf(exporter!)}`] }] }],
    }));
    const port = await freePort();
    api = `http://127.0.0.1:${port}/api/v1`;
    args = [
      `--config.file=${path.join(dir, 'prometheus.yaml')}`,
      `--storage.tsdb.path=${path.join(dir, 'tsdb')}`, // survives the restart
      `--web.listen-address=127.0.0.1:${port}`,
      // Prometheus restores the `for` state only of alerts whose `for` is at least the grace
      // period (default 10m; the seed's `for` values are 1m and 5m). The grace period is also the
      // least time a restored pending alert still waits, so it stays below this test's `for`.
      '--rules.alert.for-grace-period=1s',
      // State older than this outage is not restored; a restart takes seconds.
      '--rules.alert.for-outage-tolerance=1m',
    ];
    await boot();
  }

  async function boot(): Promise<void> {
    child = procs.start(bin, args, 'prometheus');
    await waitFor('Prometheus ready', () => httpGetJson(`${api}/status/runtimeinfo`), { deadline, logs });
  }

  /** SIGTERM (a clean shutdown), then a new process on the same data dir. */
  async function restart(): Promise<{ stopRequestedAt: number; restartedAt: number }> {
    const stopRequestedAt = Date.now() / 1000;
    await procs.stop(child!, 'SIGTERM', 10_000);
    expect(child!.exitCode).toBe(0); // exited by itself, not by the SIGKILL fallback
    const restartedAt = Date.now() / 1000;
    await boot();
    return { stopRequestedAt, restartedAt };
  }

  const alert = async (): Promise<ActiveAlert | undefined> => {
    const res = await httpGetJson(`${api}/alerts`);
    return res?.data?.alerts?.find((a: ActiveAlert) => a.labels.alertname === 'HighMemoryUsage' && a.labels.severity === 'warning');
  };
  const inState = (state: ActiveAlert['state'], where: (a: ActiveAlert) => boolean = () => true) => async () => {
    const a = await alert();
    return a && a.state === state && where(a) ? a : undefined;
  };
  /** The `for` state Prometheus keeps in storage: ALERTS_FOR_STATE's value is activeAt in Unix seconds. */
  const storedActiveAt = async (): Promise<number | undefined> => {
    const q = encodeURIComponent('ALERTS_FOR_STATE{alertname="HighMemoryUsage",severity="warning"}');
    const res = await httpGetJson(`${api}/query?query=${q}`);
    const v = res?.data?.result?.[0]?.value?.[1];
    return v === undefined ? undefined : Number(v);
  };

  it('a pending alert keeps the time it already spent pending', async () => {
    const FOR_S = 20;
    const PENDING_BEFORE_RESTART_S = 10;
    await start(`${FOR_S}s`);
    const before = await waitFor('HighMemoryUsage pending', inState('pending'), { deadline, logs });
    const activeAt = seconds(before.activeAt);
    await sleep(Math.max(0, (activeAt + PENDING_BEFORE_RESTART_S) * 1000 - Date.now()));
    expect((await alert())?.state).toBe('pending');
    expect(await storedActiveAt()).toBe(Math.floor(activeAt));

    const { stopRequestedAt, restartedAt } = await restart();
    // Right after the restart the rule makes a fresh pending alert; after its second evaluation
    // Prometheus restores it from storage, which moves activeAt back before the restart.
    const restored = await waitFor('the pending alert restored from storage',
      inState('pending', (a) => seconds(a.activeAt) < restartedAt), { deadline, logs });
    const restoredSeenAt = Date.now() / 1000;
    const restoredAt = seconds(restored.activeAt);
    // The wait left after the restart is the wait that was left at the stop (about 10s), not a
    // new `for` (20s). Tolerance: one evaluation interval (when the last state was written before
    // the stop), the whole seconds of the stored times, and polling.
    const leftAtStop = activeAt + FOR_S - stopRequestedAt;
    const leftAfterRestore = restoredAt + FOR_S - restoredSeenAt;
    expect(Math.abs(leftAfterRestore - leftAtStop)).toBeLessThan(2 * EVAL_S + 1);
    // Equivalently: activeAt moved forward by the outage, which is not counted as pending time.
    expect(restoredAt).toBeGreaterThan(activeAt);

    // It fires once the rest of its `for` has elapsed (restored activeAt + for); a restarted
    // wait could not fire before restart + for.
    const firing = await waitFor('the restored alert firing', inState('firing'), { deadline, logs, intervalMs: 100 });
    const firedSeenAt = Date.now() / 1000;
    expect(seconds(firing.activeAt)).toBe(restoredAt);
    expect(firedSeenAt).toBeGreaterThanOrEqual(restoredAt + FOR_S);
    expect(firedSeenAt).toBeLessThan(restoredAt + FOR_S + 2 * EVAL_S + 2);
    expect(firedSeenAt).toBeLessThan(restartedAt + FOR_S);
  }, TEST_TIMEOUT_MS);

  it('a firing alert fires again at once with its original activeAt', async () => {
    const FOR_S = 15;
    await start(`${FOR_S}s`);
    const before = await waitFor('HighMemoryUsage firing', inState('firing'), { deadline, logs });
    const activeAt = seconds(before.activeAt);
    expect(await storedActiveAt()).toBe(Math.floor(activeAt));

    const { restartedAt } = await restart();
    const after = await waitFor('HighMemoryUsage firing again', inState('firing'), { deadline, logs, intervalMs: 100 });
    const firedSeenAt = Date.now() / 1000;
    // Restored to the second (ALERTS_FOR_STATE keeps whole seconds), not reset to the restart.
    expect(seconds(after.activeAt)).toBe(Math.floor(activeAt));
    // Firing again once the restore has run (start-up and two evaluations, about 3s), not after a new `for`.
    expect(firedSeenAt - restartedAt).toBeLessThan(FOR_S - 5);
  }, TEST_TIMEOUT_MS);
});
