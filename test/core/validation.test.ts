import { Chart } from 'cdk8s';
import { K8sObject, RbacGrant, PlatformNamespace, RuleSet } from '../../lib/index.js';
import { metricNames, validatePromQL } from '../../lib/core/promql.js';
import { validateDnsLabel, validateK8sLabels, validatePromLabelName } from '../../lib/core/names.js';
import { requirePinnedImage } from '../../lib/core/images.js';
import { newChart, synth } from '../support/synth.js';

describe('PromQL validation', () => {
  it('accepts valid expressions', () => {
    expect(() => validatePromQL('histogram_quantile(0.95, sum by (le, model) (rate(model_inference_latency_seconds_bucket[5m])))')).not.toThrow();
  });
  it('throws with the expression and the position', () => {
    expect(() => validatePromQL('sum(rate(foo[5m])', 'alerts.X.expr')).toThrow(/'alerts.X.expr' must be a valid PromQL expression, got a syntax error at position \d+:\nsum\(rate\(foo\[5m\]\)\n +\^/);
    expect(() => validatePromQL('rate(foo[5x])')).toThrow(/syntax error at position/);
    expect(() => validatePromQL('')).toThrow(/'expr' must be a PromQL expression/);
  });
  it('lists the metrics an expression reads', () => {
    expect(metricNames('sum(rate(a_total[5m])) / sum(rate(b_total{x="y"}[5m])) + {__name__="c"}')).toEqual(['a_total', 'b_total', 'c']);
  });
});

describe('names and labels', () => {
  it('rejects invalid Kubernetes names', () => {
    expect(() => validateDnsLabel('My_Name', 'namespace')).toThrow("'namespace' must be a Kubernetes name of at most 63 lowercase letters, digits and \"-\", starting and ending with an alphanumeric, got 'My_Name'");
    expect(() => validateDnsLabel('a'.repeat(64))).toThrow(/at most 63/);
  });
  it('rejects invalid label keys and values', () => {
    expect(() => validateK8sLabels({ 'bad key': 'x' })).toThrow(/'labels' must be a Kubernetes label key: .*, got 'bad key'/);
    expect(() => validateK8sLabels({ app: 'x'.repeat(64) })).toThrow(/'labels.app' must be a Kubernetes label value/);
    expect(() => validatePromLabelName('incident-class')).toThrow(/Prometheus label name/);
    expect(() => validatePromLabelName('__name__')).toThrow(/not starting with "__"/);
  });
  it('requires pinned images', () => {
    expect(() => requirePinnedImage('grafana/grafana')).toThrow(/'image' must be an image pinned to a version/);
    expect(() => requirePinnedImage('grafana/grafana:latest')).toThrow(/pinned/);
    expect(requirePinnedImage('docker.io/grafana/grafana:12.1.1')).toBe('docker.io/grafana/grafana:12.1.1');
  });
});

describe('schema validation on synth', () => {
  it('rejects an object that does not match its schema, naming the object and path', () => {
    const chart = newChart();
    new K8sObject(chart, 'Bad', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { ports: [{ port: 'eighty' }] } });
    expect(() => synth(chart)).toThrow(/Service\/x \(test\/Bad\) does not match the v1\/Service schema: data\/spec\/ports\/0\/port must be integer/);
  });
  it('rejects a kind without a registered schema', () => {
    const chart = newChart();
    new K8sObject(chart, 'Unknown', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    expect(() => synth(chart)).toThrow(/no schema registered for example.com\/v1\/Widget/);
  });
});

describe('security building blocks', () => {
  it('refuses wildcard RBAC', () => {
    expect(() => new RbacGrant(new Chart(newChart(), 'c'), 'R', {
      name: 'x', serviceAccount: 'x', serviceAccountNamespace: 'n', rules: [{ apiGroups: [''], resources: ['*'], verbs: ['get'] }],
    })).toThrow("'rules[0].resources' must be an explicit list without wildcards, got [\"*\"]");
  });
  it('needs a reason for a namespace that is not restricted', () => {
    expect(() => new PlatformNamespace(newChart(), 'N', { name: 'agents', podSecurity: 'privileged' }))
      .toThrow(/'podSecurityReason' must be a reason why namespace 'agents' is 'privileged'/);
  });
});

describe('RuleSet', () => {
  it('renders alerts with the standard labels and annotations', () => {
    const chart = newChart();
    const rules = new RuleSet(chart, 'Rules', { name: 'r', namespace: 'monitoring', runbookBaseUrl: 'https://runbooks.example.com/' });
    rules.addAlert('g', { alert: 'SomethingBroken', expr: 'up == 0', for: '5m', severity: 'critical', incidentClass: 'critical', summary: 's', description: 'd' });
    const rule = synth(chart)[0].spec.groups[0].rules[0];
    expect(rule).toEqual({
      alert: 'SomethingBroken', expr: 'up == 0', for: '5m',
      labels: { severity: 'critical', incident_class: 'critical' },
      annotations: { summary: 's', description: 'd', runbook_url: 'https://runbooks.example.com/something-broken' },
    });
  });
  it('refuses duplicates, bad names and bad expressions', () => {
    const rules = new RuleSet(newChart(), 'Rules', { name: 'r', namespace: 'monitoring' });
    const a = { alert: 'A', expr: 'up == 0', severity: 'warning' as const, incidentClass: 'medium' as const, summary: 's', description: 'd' };
    rules.addAlert('g', a);
    expect(() => rules.addAlert('g', a)).toThrow(/'alert' must be unique per severity in rule set 'r', got duplicate 'A'/);
    expect(() => rules.addAlert('g', { ...a, alert: 'Bad-Name' })).toThrow(/'alert' must be an alert name/);
    expect(() => rules.addAlert('g', { ...a, alert: 'B', labels: { 'bad-label': 'x' } })).toThrow(/'alerts.B.labels.bad-label' must be a Prometheus label name/);
    expect(() => rules.addAlert('g', { ...a, alert: 'C', annotations: { 'x y': 'z' } })).toThrow(/annotations/);
    expect(() => rules.addRecord('g', { record: 'x:y', expr: 'sum(' })).toThrow(/'records.x:y.expr' must be a valid PromQL expression/);
  });
});
