import { MetricsStack } from '../../lib/metrics/index.js';
import { TrainingMonitor } from '../../lib/ai/index.js';
import { find, newChart, synth } from '../support/synth.js';
import { describeWithTool } from '../support/tools.js';
import { expectRuleTests, expectValidRules, level } from './helpers.js';

function build(props: Record<string, unknown> = {}) {
  const chart = newChart();
  const metrics = new MetricsStack(chart, 'Metrics', { region: 'us-east-1' });
  const training = new TrainingMonitor(chart, 'Training', { scraper: metrics, jobNamespaces: ['ai-training'], ...props });
  return { chart, training };
}

describe('TrainingMonitor', () => {
  const { chart, training } = build();
  training.addScrapedJob('finetune', { namespace: 'ai-training', selector: { 'job-name': 'finetune' }, port: 8000 });
  const objects = synth(chart);
  const sts = find(objects, 'StatefulSet', 'pushgateway');

  it('deploys a persistent, single-replica Pushgateway', () => {
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.template.spec.containers[0].args).toEqual(['--web.listen-address=:9091', '--persistence.file=/data/metrics', '--persistence.interval=1m']);
    expect(sts.spec.template.spec.containers[0].image).toBe('quay.io/prometheus/pushgateway:v1.11.1');
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('1Gi');
    expect(training.pushUrl).toBe('http://pushgateway.ai-monitoring.svc:9091');
  });

  it('accepts pushes from the job namespaces and scrapes from Prometheus only', () => {
    const np = find(objects, 'NetworkPolicy', 'pushgateway');
    expect(np.spec.ingress.map((r: any) => r.from)).toEqual([
      [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ai-monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'ai-monitoring' } } }],
      [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ai-training' } } }],
    ]);
    expect(find(objects, 'ServiceMonitor', 'pushgateway').spec.endpoints[0].honorLabels).toBe(true);
  });

  it('scrapes long-running jobs directly', () => {
    const pm = find(objects, 'PodMonitor', 'finetune');
    expect(pm.metadata.namespace).toBe('ai-training');
    expect(pm.spec.podMetricsEndpoints[0]).toMatchObject({ portNumber: 8000, relabelings: [{ action: 'replace', targetLabel: 'job', replacement: 'finetune' }] });
    expect(find(objects, 'NetworkPolicy', 'finetune-allow-scrape').spec.policyTypes).toEqual(['Ingress']);
  });

  it('keeps metrics in memory as a Deployment when persistence is off', () => {
    const { chart: c } = build({ persistence: false });
    const d = find(synth(c), 'Deployment', 'pushgateway');
    expect(d.spec.template.spec.containers[0].args).toEqual(['--web.listen-address=:9091']);
  });

  it('matches the snapshot', () => {
    expect(objects.filter((o) => /pushgateway|finetune|ai-training/.test(o.metadata.name ?? ''))).toMatchSnapshot();
  });

  it('rejects bad input', () => {
    expect(() => build({ metrics: { loss: 'training-loss' } })).toThrow("'metrics.loss' must be a Prometheus metric name matching [a-zA-Z_:][a-zA-Z0-9_:]*, got 'training-loss'");
    expect(() => build({ metrics: { losses: 'x' } })).toThrow("'metrics.losses' must be one of the known options (loss, learningRate, gradientNorm, steps), got 'losses'");
    expect(() => build({ runLabel: 'run-id' })).toThrow("'runLabel' must be a Prometheus label name");
    expect(() => build({ stallAfter: '30s' })).toThrow("'stallAfter' must be a duration of at least 1m, got '30s'");
    expect(() => build({ thresholds: { divergenceFactor: 1 } })).toThrow("'thresholds.divergenceFactor' must be a number above 1, got 1");
    expect(() => build({ jobNamespaces: [] })).toThrow("'jobNamespaces' must be at least one namespace");
    const { training: t } = build();
    t.addScrapedJob('a', { namespace: 'ai-training', selector: { app: 'a' }, port: 'metrics' });
    expect(() => t.addScrapedJob('a', { namespace: 'ai-training', selector: { app: 'a' }, port: 'metrics' })).toThrow("'name' must be unique among scraped training jobs, got duplicate 'a'");
  });
});

describeWithTool('promtool', 'training rules (promtool)', (promtool) => {
  const { training } = build();
  const groups = training.rules.renderGroups();
  const run = 'job="llama-ft-42", instance="", namespace="monitoring"';
  const labels = { job: 'llama-ft-42', instance: '', namespace: 'monitoring' };
  const t = (series: Array<[string, string]>, evalTime: string, alertname: string, exp: Array<Record<string, string>>) => ({
    interval: '1m',
    input_series: series.map(([name, values]) => ({ series: `${name}{${run}}`, values })),
    alert_rule_test: [{ eval_time: evalTime, alertname, exp_alerts: exp.map((l) => ({ exp_labels: { ...labels, ...l } })) }],
  });
  delete (labels as any).instance;

  it('passes promtool check rules', () => expectValidRules(promtool, groups));

  it('NaN loss or gradient fires at once, finite values do not', () => {
    expectRuleTests(promtool, groups, [
      t([['training_loss', '2.1 1.9 NaN NaN'], ['training_gradient_norm', '1 1 1 1']], '2m', 'TrainingLossNaN', [level('critical', 'high')]),
      t([['training_loss', '2.1 1.9 1.8 1.7'], ['training_gradient_norm', '1 1 NaN NaN']], '2m', 'TrainingLossNaN', [level('critical', 'high')]),
      t([['training_loss', '2.1 1.9 1.8 1.7'], ['training_gradient_norm', '1 1 1 1']], '3m', 'TrainingLossNaN', []),
    ]);
  });

  it('diverging loss: above twice its hourly minimum for 10m; a converging loss is quiet', () => {
    expectRuleTests(promtool, groups, [
      t([['training_loss', '2-0.05x20 1+0.2x20']], '40m', 'TrainingLossDiverging', [level('warning', 'medium')]),
      t([['training_loss', '2-0.02x60']], '60m', 'TrainingLossDiverging', []),
    ]);
  });

  it('stalled job: no step for 15 minutes, not a job that steps or just started', () => {
    expectRuleTests(promtool, groups, [
      t([['training_steps_total', '0+10x10 100x30']], '30m', 'TrainingJobStalled', [level('warning', 'medium')]),
      t([['training_steps_total', '0+10x40']], '30m', 'TrainingJobStalled', []),
      t([['training_steps_total', '0x10']], '10m', 'TrainingJobStalled', []),
    ]);
  });

  it('exploding gradients: norm above 100 for 5 minutes', () => {
    expectRuleTests(promtool, groups, [
      t([['training_gradient_norm', '1 2 500x10']], '9m', 'TrainingGradientExploding', [level('warning', 'medium')]),
      t([['training_gradient_norm', '1 2 500x10']], '4m', 'TrainingGradientExploding', []),
      t([['training_gradient_norm', '3x10']], '9m', 'TrainingGradientExploding', []),
    ]);
  });

  it('PushgatewayDown after 5 minutes', () => {
    expectRuleTests(promtool, groups, [{
      interval: '1m',
      input_series: [{ series: 'up{job="pushgateway", namespace="ai-monitoring", instance="10.0.0.1:9091"}', values: '0x10' }],
      alert_rule_test: [{ eval_time: '6m', alertname: 'PushgatewayDown', exp_alerts: [{ exp_labels: { job: 'pushgateway', namespace: 'ai-monitoring', instance: '10.0.0.1:9091', ...level('critical', 'critical') } }] }],
    }]);
  });
});
