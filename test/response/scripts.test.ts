// The shell the remediation pods run (impact check, escalation), executed locally with a stand-in
// for curl that answers like the Prometheus and Alertmanager APIs. Offline: no network involved.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ESCALATE_SCRIPT, IMPACT_SCRIPT, MEASURE_SCRIPT } from '../../lib/response/remediation-workflow.js';
import { tmpDir } from '../support/tools.js';

/** Runs a script with a fake curl that prints `answer` (or fails) and logs its arguments. */
function run(script: string, env: Record<string, string>, answer: string | null) {
  const dir = tmpDir('aimon-response-');
  const log = path.join(dir, 'curl.log');
  const body = answer === null ? 'exit 7' : `printf '%s' '${answer}'`;
  fs.writeFileSync(path.join(dir, 'curl'), `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a" >> '${log}'; done\n${body}\n`, { mode: 0o755 });
  const r = spawnSync('sh', ['-c', script], {
    encoding: 'utf8',
    env: { PATH: `${dir}:${process.env.PATH}`, PROMETHEUS_URL: 'http://prometheus:9090', QUERY: 'up', SETTLE_SECONDS: '0', ...env },
  });
  return { status: r.status, out: r.stdout.trim(), err: r.stderr, args: fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n') : [] };
}

const scalar = (v: string) => `{"status":"success","data":{"resultType":"scalar","result":[1764000000.123,"${v}"]}}`;

describe('impact check scripts', () => {
  it('measure the scalar value of the query', () => {
    const r = run(MEASURE_SCRIPT, { QUERY: 'sum(up{job="x"})' }, scalar('0.87'));
    expect(r.out).toBe('0.87');
    expect(r.args).toEqual(expect.arrayContaining(['http://prometheus:9090/api/v1/query', 'query=scalar(sum(up{job="x"}))']));
    expect(run(MEASURE_SCRIPT, {}, null).out).toBe('NaN');
  });

  it.each([
    ['0.9', '0.7', 'lower', 'positive'],
    ['0.9', '0.95', 'lower', 'negative'],
    ['0.9', '0.9', 'lower', 'negative'],
    ['0.2', '0.35', 'higher', 'positive'],
    ['1e-3', '2e-4', 'lower', 'positive'],
    ['0.9', 'NaN', 'lower', 'unknown'],
    ['NaN', '0.5', 'lower', 'unknown'],
  ])('judge before %s, after %s, %s is better: %s', (before, after, better, verdict) => {
    expect(run(IMPACT_SCRIPT, { BEFORE: before, BETTER: better }, scalar(after)).out).toBe(verdict);
  });

  it('judge unknown when Prometheus does not answer (no rollback on missing data)', () => {
    expect(run(IMPACT_SCRIPT, { BEFORE: '0.9', BETTER: 'lower' }, null).out).toBe('unknown');
  });
});

describe('escalation script', () => {
  it('posts a critical RemediationFailed alert to the Alertmanager v2 API', () => {
    const r = run(ESCALATE_SCRIPT, {
      ALERTMANAGER_URL: 'http://alertmanager:9093', RULE: 'memory-pressure', WORKFLOW: 'remediate-memory-pressure', STATUS: 'Failed', INCIDENT: '0a1b"; rm -rf /',
    }, '');
    expect(r.status).toBe(0);
    expect(r.args).toContain('http://alertmanager:9093/api/v2/alerts');
    const alerts = JSON.parse(r.args[r.args.indexOf('--data') + 1]);
    expect(alerts[0].labels).toEqual({
      alertname: 'RemediationFailed', automation_rule: 'memory-pressure', workflow: 'remediate-memory-pressure', severity: 'critical', incident_class: 'critical',
    });
    expect(alerts[0].annotations.description).toContain('incident 0a1brm-rf');
    expect(alerts[0].startsAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('exits non-zero when Alertmanager refuses, so the failed escalation shows in Argo', () => {
    expect(run(ESCALATE_SCRIPT, { ALERTMANAGER_URL: 'http://am:9093', RULE: 'r', WORKFLOW: 'w', STATUS: 'Failed', INCIDENT: 'x' }, null).status).not.toBe(0);
  });
});
