import { RuleSet } from '../../lib/index.js';
import { AlertRules, seedThresholdAlerts, ThresholdAlert } from '../../lib/alerting/index.js';
import { ModelServingMonitor } from '../../lib/ai/index.js';
import { formatThreshold, incidentClassOf } from '../../lib/alerting/alert-rules.js';
import { find, newChart, synth } from '../support/synth.js';
import { describeWithTool, promtoolCheckRules, promtoolTestRules } from '../support/tools.js';

function seedRules(): AlertRules {
  return new AlertRules(newChart(), 'Thresholds', { namespace: 'monitoring', thresholds: AlertRules.seedThresholds() });
}

describe('AlertRules', () => {
  const chart = newChart();
  new AlertRules(chart, 'Thresholds', { namespace: 'monitoring', thresholds: seedThresholdAlerts() });
  const objects = synth(chart);
  const rule = find(objects, 'PrometheusRule', 'threshold-alerts');
  const rules: any[] = rule.spec.groups.flatMap((g: any) => g.rules);
  const byLevel = (alert: string, severity: string) => rules.find((r) => r.alert === alert && r.labels.severity === severity);
  const recordOf = (alert: string) => rules.find((r) => r.record === byLevel(alert, 'warning').expr.split(' ')[0]);

  it('renders the seed thresholds (section 1.2), one rule per level under one name', () => {
    const expected: Array<[string, string, string, string, string]> = [
      ['HighCpuUsage', '> 70', '> 85', '5m', 'high'],
      ['HighMemoryUsage', '> 75', '> 90', '5m', 'high'],
      ['HighInferenceLatency', '> 0.1', '> 0.2', '1m', 'high'],
      ['HighErrorRate', '> 0.01', '> 0.05', '5m', 'high'],
    ];
    for (const [alert, warn, crit, forDuration, criticalClass] of expected) {
      const w = byLevel(alert, 'warning');
      const c = byLevel(alert, 'critical');
      expect(w.expr.endsWith(warn)).toBe(true);
      expect(c.expr.endsWith(crit)).toBe(true);
      expect([w.for, c.for]).toEqual([forDuration, forDuration]);
      expect(w.labels.incident_class).toBe('medium');
      expect(c.labels.incident_class).toBe(criticalClass);
      expect(Object.keys(c.annotations).sort()).toEqual(['description', 'runbook_url', 'summary']);
    }
    expect(rules.filter((r) => r.alert)).toHaveLength(8);
  });

  it('records each query once, first in the group, and both levels compare the record', () => {
    const names = ['HighCpuUsage', 'HighMemoryUsage', 'HighInferenceLatency', 'HighErrorRate'];
    expect(rules.filter((r) => r.record).map((r) => r.record)).toEqual([
      'instance:node_cpu_busy:percent_rate5m', 'instance:node_memory_used:percent',
      'model:inference_latency_seconds:p95_rate5m', 'model:inference_error_ratio:rate5m',
    ]);
    for (const name of names) {
      const record = recordOf(name);
      expect(rules.indexOf(record)).toBeLessThan(rules.indexOf(byLevel(name, 'warning')));
      expect(byLevel(name, 'critical').expr.split(' ')[0]).toBe(record.record);
    }
  });

  it('reads the metrics of the public contract', () => {
    expect(recordOf('HighCpuUsage').expr).toContain('node_cpu_seconds_total{mode="idle"}');
    expect(recordOf('HighMemoryUsage').expr).toContain('node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes');
    expect(recordOf('HighInferenceLatency').expr).toContain('histogram_quantile(0.95, sum by (model, le) (rate(model_inference_latency_seconds_bucket[5m])))');
    expect(recordOf('HighErrorRate').expr).toContain('rate(model_request_errors_total[5m])) / sum by (model) (rate(model_requests_total[5m]))');
  });

  it('reads the seed model-serving records with modelRecords (5m window only)', () => {
    const byName = (ts: ThresholdAlert[]) => Object.fromEntries(ts.map((t) => [t.name, t.query]));
    const q = byName(seedThresholdAlerts({ modelRecords: true }));
    expect(q.HighInferenceLatency).toBe('histogram_quantile(0.95, sum by (model, le) (model:latency_seconds_bucket:rate5m{model_server="seed"}))');
    expect(q.HighErrorRate).toBe('sum by (model) (model:request_errors:rate5m{model_server="seed"}) / sum by (model) (model:requests:rate5m{model_server="seed"})');
    expect(q.HighCpuUsage).toBe(byName(seedThresholdAlerts()).HighCpuUsage);
    expect(byName(seedThresholdAlerts({ modelRecords: true, rateWindow: '1m' }))).toEqual(byName(seedThresholdAlerts({ rateWindow: '1m' })));
  });

  it('humanizes the measured value in its unit', () => {
    expect(byLevel('HighCpuUsage', 'critical').annotations.description).toContain('{{ printf "%.1f" $value }}%');
    expect(byLevel('HighInferenceLatency', 'critical').annotations.description).toContain('{{ $value | humanizeDuration }}, above the critical threshold of 200ms');
    expect(byLevel('HighErrorRate', 'warning').annotations.description).toContain('{{ $value | humanizePercentage }}, above the warning threshold of 1%');
    expect(byLevel('HighErrorRate', 'warning').annotations.runbook_url).toBe('https://runbooks.ai-monitoring.dev/alerts/high-error-rate');
    expect(formatThreshold(2 ** 30, 'bytes')).toBe('1GiB');
    expect(formatThreshold(250, 'milliseconds')).toBe('250ms');
    expect(formatThreshold(2, 'seconds')).toBe('2s');
  });

  it('classifies critical levels by category (section 5.1)', () => {
    expect(incidentClassOf('warning', 'outage')).toBe('medium');
    expect(incidentClassOf('critical', 'resource')).toBe('high');
    expect(incidentClassOf('critical', 'performance')).toBe('high');
    for (const c of ['outage', 'data-integrity', 'security'] as const) expect(incidentClassOf('critical', c)).toBe('critical');
  });

  it('supports direction below and a configurable runbook base URL', () => {
    const rules2 = new AlertRules(newChart(), 'R', {
      namespace: 'monitoring',
      runbookBaseUrl: 'https://wiki.example.com/runbooks/',
      thresholds: [{ name: 'LowCacheHitRatio', query: 'sum(rate(vector_cache_hits_total[5m])) / sum(rate(vector_cache_requests_total[5m]))', warning: 0.8, critical: 0.5, direction: 'below', for: '10m', unit: 'ratio', summary: 'Cache hit ratio', target: 'the vector store' }],
    });
    const [w, c] = (rules2.renderGroups()[0] as any).rules;
    expect(w.expr).toMatch(/\) < 0.8$/);
    expect(c.expr).toMatch(/\) < 0.5$/);
    expect(c.annotations.runbook_url).toBe('https://wiki.example.com/runbooks/low-cache-hit-ratio');
    expect(rules2.alertNames).toEqual(['LowCacheHitRatio']);
  });

  it('matches the snapshot', () => {
    expect(objects).toMatchSnapshot();
  });
});

describe('AlertRules bad input', () => {
  const base: ThresholdAlert = { name: 'HighQueueDepth', query: 'sum(queue_depth)', warning: 10, critical: 20, for: '5m', summary: 'Queue depth' };
  const make = (t: Partial<ThresholdAlert> | Record<string, unknown>) => () =>
    new AlertRules(newChart(), 'R', { namespace: 'monitoring', thresholds: [{ ...base, ...t } as ThresholdAlert] });

  it.each([
    [{ warning: 20, critical: 10 }, "'thresholds.HighQueueDepth.critical' must be above the warning level (20) for direction 'above', got 10"],
    [{ warning: 10, critical: 10 }, "'thresholds.HighQueueDepth.critical' must be above the warning level (10) for direction 'above', got 10"],
    [{ direction: 'below' }, "'thresholds.HighQueueDepth.critical' must be below the warning level (10) for direction 'below', got 20"],
    [{ labels: { 'team-name': 'ml' } }, "'alerts.HighQueueDepth.labels.team-name' must be a Prometheus label name"],
    [{ annotations: { 'dashboard url': 'x' } }, "'alerts.HighQueueDepth.annotations.dashboard url' must be a Prometheus label name"],
    [{ name: 'high-queue-depth' }, "'thresholds.name' must be an alert name matching [a-zA-Z_][a-zA-Z0-9_]*"],
    [{ query: 'sum(rate(queue_depth[5m])' }, "'thresholds.HighQueueDepth.query' must be a valid PromQL expression"],
    [{ for: '5 minutes' }, "'thresholds.HighQueueDepth.for' must be a duration like 15s, 5m, 1h30m or 30d, got '5 minutes'"],
    [{ warning: '10' }, "'thresholds.HighQueueDepth.warning' must be a finite number, got '10'"],
    [{ unit: 'furlongs' }, "'thresholds.HighQueueDepth.unit' must be one of percent, ratio, seconds, milliseconds, bytes, none, got 'furlongs'"],
    [{ record: 'queue depth' }, "'thresholds.HighQueueDepth.record' must be a Prometheus metric name matching [a-zA-Z_:][a-zA-Z0-9_:]*, got 'queue depth'"],
  ])('rejects %p', (t, message) => {
    expect(make(t)).toThrow(message);
  });

  it('rejects a duplicate alert name in one rule set', () => {
    const rules = new AlertRules(newChart(), 'R', { namespace: 'monitoring', thresholds: [base] });
    expect(() => rules.addThreshold({ ...base, warning: 1, critical: 2 })).toThrow(
      "'thresholds.name' must be unique in rule set 'threshold-alerts' (already has HighQueueDepth), got 'HighQueueDepth'",
    );
    const set = new RuleSet(newChart(), 'S', { name: 'x', namespace: 'monitoring' });
    const spec = { alert: 'A', expr: 'up == 0', severity: 'warning', incidentClass: 'medium', summary: 's', description: 'd' } as const;
    set.addAlert('g', spec);
    expect(() => set.addAlert('g', spec)).toThrow(/must be unique per severity/);
  });

  it('rejects invalid common labels and seed options', () => {
    expect(() => new AlertRules(newChart(), 'R', { namespace: 'monitoring', commonLabels: { '1team': 'x' } })).toThrow(/'commonLabels.1team' must be a Prometheus label name/);
    expect(() => seedThresholdAlerts({ rateWindow: '5 min' })).toThrow("'rateWindow' must be a duration");
    expect(() => seedThresholdAlerts({ modelRecords: 'yes' as any })).toThrow("'modelRecords' must be a boolean, got 'yes'");
  });
});

/** One expected alert of a promtool unit test, with its annotations spelled out. */
function alert(name: string, severity: 'warning' | 'critical', labels: Record<string, string>, summary: string, description: string) {
  const runbook = name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  return {
    exp_labels: { ...labels, severity, incident_class: severity === 'warning' ? 'medium' : 'high' },
    exp_annotations: { summary, description, runbook_url: `https://runbooks.ai-monitoring.dev/alerts/${runbook}` },
  };
}

describeWithTool('promtool', 'seed thresholds under promtool', (promtool) => {
  const groups = seedRules().renderGroups();

  it('passes promtool check rules', () => {
    const r = promtoolCheckRules(promtool, groups);
    expect(r.output).toContain('SUCCESS: 12 rules found');
    expect(r.status).toBe(0);
  });

  it('fires at warning and critical with the right labels, not below, not before `for`', () => {
    const r = promtoolTestRules(promtool, groups, { evaluation_interval: '1m', tests: thresholdTests() });
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('fires the same from the seed model-serving records (modelRecords), fed the same raw series', () => {
    // The raw series as the seed PodMonitor labels them; the model-serving groups run first, as
    // they may in Prometheus (else the alerts read the records one evaluation later).
    const chart = newChart();
    const metrics = { namespace: 'monitoring', podLabels: { app: 'prometheus' } };
    const serving = new ModelServingMonitor(chart, 'Chat', { name: 'chat', namespace: 'models', scraper: metrics });
    const thresholds = new AlertRules(chart, 'Thresholds', { namespace: 'monitoring', thresholds: seedThresholdAlerts({ modelRecords: true }) });
    const seedLabel = (series: string) => series.replace('{', '{model_server="seed",');
    const tests = thresholdTests()
      .filter((t) => t.alert_rule_test.some((a) => ['HighInferenceLatency', 'HighErrorRate'].includes(a.alertname)))
      .map((t) => ({ ...t, input_series: t.input_series.map((i) => ({ ...i, series: seedLabel(i.series) })) }));
    expect(tests).toHaveLength(2);
    const r = promtoolTestRules(promtool, [...serving.rules.renderGroups(), ...thresholds.renderGroups()], { evaluation_interval: '1m', tests });
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });
});

/** The seed thresholds' promtool cases: each alert at warning, critical and below, not before `for`. */
function thresholdTests() {
  return [
    {
      // CPU busy: n1 80% (warning), n2 90% (critical), n3 40% (fine). `for` 5m from the first rate at 1m.
      interval: '1m',
      input_series: [
        { series: 'node_cpu_seconds_total{cpu="0",mode="idle",instance="n1"}', values: '0+12x20' },
        { series: 'node_cpu_seconds_total{cpu="0",mode="idle",instance="n2"}', values: '0+6x20' },
        { series: 'node_cpu_seconds_total{cpu="0",mode="idle",instance="n3"}', values: '0+36x20' },
      ],
      alert_rule_test: [
        { eval_time: '5m', alertname: 'HighCpuUsage', exp_alerts: [] },
        {
          eval_time: '7m', alertname: 'HighCpuUsage', exp_alerts: [
            alert('HighCpuUsage', 'warning', { instance: 'n1' }, 'CPU usage above warning threshold on n1', 'CPU usage on n1 is 80.0%, above the warning threshold of 70% for 5m.'),
            alert('HighCpuUsage', 'warning', { instance: 'n2' }, 'CPU usage above warning threshold on n2', 'CPU usage on n2 is 90.0%, above the warning threshold of 70% for 5m.'),
            alert('HighCpuUsage', 'critical', { instance: 'n2' }, 'CPU usage above critical threshold on n2', 'CPU usage on n2 is 90.0%, above the critical threshold of 85% for 5m.'),
          ],
        },
      ],
    },
    {
      // Memory used: n1 80% (warning), n2 95% (critical), n3 50% (fine). `for` 5m from 0m.
      interval: '1m',
      input_series: [
        ...['n1', 'n2', 'n3'].map((i) => ({ series: `node_memory_MemTotal_bytes{instance="${i}"}`, values: '1000x20' })),
        { series: 'node_memory_MemAvailable_bytes{instance="n1"}', values: '200x20' },
        { series: 'node_memory_MemAvailable_bytes{instance="n2"}', values: '50x20' },
        { series: 'node_memory_MemAvailable_bytes{instance="n3"}', values: '500x20' },
      ],
      alert_rule_test: [
        { eval_time: '4m', alertname: 'HighMemoryUsage', exp_alerts: [] },
        {
          eval_time: '6m', alertname: 'HighMemoryUsage', exp_alerts: [
            alert('HighMemoryUsage', 'warning', { instance: 'n1' }, 'Memory usage above warning threshold on n1', 'Memory usage on n1 is 80.0%, above the warning threshold of 75% for 5m.'),
            alert('HighMemoryUsage', 'warning', { instance: 'n2' }, 'Memory usage above warning threshold on n2', 'Memory usage on n2 is 95.0%, above the warning threshold of 75% for 5m.'),
            alert('HighMemoryUsage', 'critical', { instance: 'n2' }, 'Memory usage above critical threshold on n2', 'Memory usage on n2 is 95.0%, above the critical threshold of 90% for 5m.'),
          ],
        },
      ],
    },
    {
      // p95 latency: llm-a ~147ms (warning), llm-b ~295ms (critical), llm-c ~95ms (fine). `for` 1m from 1m.
      interval: '1m',
      input_series: [
        ...histogram('llm-a', [0, 10, 10, 10, 10]),
        ...histogram('llm-b', [0, 0, 0, 10, 10]),
        ...histogram('llm-c', [10, 10, 10, 10, 10]),
      ],
      alert_rule_test: [
        { eval_time: '1m', alertname: 'HighInferenceLatency', exp_alerts: [] },
        {
          eval_time: '3m', alertname: 'HighInferenceLatency', exp_alerts: [
            alert('HighInferenceLatency', 'warning', { model: 'llm-a' }, 'p95 inference latency above warning threshold on model llm-a', 'p95 inference latency on model llm-a is 147.5ms, above the warning threshold of 100ms for 1m.'),
            alert('HighInferenceLatency', 'warning', { model: 'llm-b' }, 'p95 inference latency above warning threshold on model llm-b', 'p95 inference latency on model llm-b is 295ms, above the warning threshold of 100ms for 1m.'),
            alert('HighInferenceLatency', 'critical', { model: 'llm-b' }, 'p95 inference latency above critical threshold on model llm-b', 'p95 inference latency on model llm-b is 295ms, above the critical threshold of 200ms for 1m.'),
          ],
        },
      ],
    },
    {
      // Error ratio: a 2% (warning), b 10% (critical), c 0% (fine). `for` 5m from 1m.
      interval: '1m',
      input_series: [
        ...['a', 'b', 'c'].map((m) => ({ series: `model_requests_total{model="${m}"}`, values: '0+100x20' })),
        { series: 'model_request_errors_total{model="a"}', values: '0+2x20' },
        { series: 'model_request_errors_total{model="b"}', values: '0+10x20' },
        { series: 'model_request_errors_total{model="c"}', values: '0+0x20' },
      ],
      alert_rule_test: [
        { eval_time: '5m', alertname: 'HighErrorRate', exp_alerts: [] },
        {
          eval_time: '7m', alertname: 'HighErrorRate', exp_alerts: [
            alert('HighErrorRate', 'warning', { model: 'a' }, 'Error rate above warning threshold on model a', 'Error rate on model a is 2%, above the warning threshold of 1% for 5m.'),
            alert('HighErrorRate', 'warning', { model: 'b' }, 'Error rate above warning threshold on model b', 'Error rate on model b is 10%, above the warning threshold of 1% for 5m.'),
            alert('HighErrorRate', 'critical', { model: 'b' }, 'Error rate above critical threshold on model b', 'Error rate on model b is 10%, above the critical threshold of 5% for 5m.'),
          ],
        },
      ],
    },
  ];
}

/** Cumulative buckets (le 0.1, 0.15, 0.2, 0.3, +Inf), each growing by `perMinute` observations. */
function histogram(model: string, perMinute: number[]) {
  return ['0.1', '0.15', '0.2', '0.3', '+Inf'].map((le, i) => ({
    series: `model_inference_latency_seconds_bucket{model="${model}",le="${le}"}`,
    values: `0+${perMinute[i]}x20`,
  }));
}
