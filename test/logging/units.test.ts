import { parse } from 'yaml';
import { MetricsStack } from '../../lib/metrics/index.js';
import { alloyRef as ref, LogAlertRules, LoggingStack, LokiMode, LokiStorage, renderAlloy, S3Credentials } from '../../lib/logging/index.js';
import { validateLogQLMetricQuery } from '../../lib/logging/log-alerts.js';
import { validateRe2 } from '../../lib/logging/pipeline.js';
import { find, newChart, synth } from '../support/synth.js';

describe('Alloy syntax renderer', () => {
  it('escapes strings and renders blocks, lists, maps and references', () => {
    const text = renderAlloy([{
      name: 'loki.process',
      label: 'x',
      attrs: { forward_to: [ref('loki.write.a.receiver')], skipped: undefined },
      blocks: [
        { name: 'stage.regex', attrs: { expression: '^"(?P<a>\\d+)"$' } },
        { name: 'stage.static_labels', attrs: { values: { 'team-name': 'a', env: 'b' } } },
        { name: 'stage.cri' },
      ],
    }]);
    expect(text).toBe([
      'loki.process "x" {',
      '  forward_to = [loki.write.a.receiver]',
      '  stage.regex {',
      '    expression = "^\\"(?P<a>\\\\d+)\\"$"',
      '  }',
      '  stage.static_labels {',
      '    values = {',
      '      "team-name" = "a",',
      '      env         = "b",',
      '    }',
      '  }',
      '  stage.cri {}',
      '}',
      '',
    ].join('\n'));
  });

  it('refuses invalid block names and labels', () => {
    expect(() => renderAlloy([{ name: 'Loki.Write' }])).toThrow("'alloy block name' must be a dotted lowercase identifier");
    expect(() => renderAlloy([{ name: 'loki.write', label: 'my-label' }])).toThrow("'loki.write label' must be an identifier");
  });
});

describe('validators', () => {
  it('accepts RE2 and returns the named groups', () => {
    expect(validateRe2('^(?P<ts>\\S+) (?<level>[A-Z]+)')).toEqual(['ts', 'level']);
    expect(validateRe2('(?i)^(?P<level>error|warn(?s:ing)?) [[:digit:]]+ \\pL+\\z')).toEqual(['level']);
  });

  it.each([
    'sum by (app) (rate({namespace="ai"} |= "error" [5m])) > 1',
    'count_over_time({job="kubernetes-pods"} |~ `(?i)panic` [10m]) > 0',
    'sum(rate({app=~"model-.*", namespace!="dev"} [1h] offset 5m))',
  ])('accepts the LogQL metric query %s', (q) => {
    expect(validateLogQLMetricQuery(q)).toBe(q);
  });

  it.each([
    ['{app="x"} |= "error"', `'expr' must be a LogQL metric query like`],
    ['rate(app="x" [5m])', 'syntax error at position 5'],
    ['sum(rate({app="x"} [5m]) > 1', 'syntax error at position 28'],
    ['rate({app=x} [5m])', 'syntax error at position 10'],
    ['rate({app=~".*"} [5m])', 'a stream selector without a matcher that excludes the empty value'],
    ['rate({app="x"} |~ "(" [5m])', 'a regex RE2 refuses, "(" (error parsing regexp: missing closing )'],
    ['rate({app="x"} | regexp "(?P<a>x" [5m])', 'a regex RE2 refuses'],
    ['rate({app="x"} | line_format "{{ .a" [5m])', 'an invalid Go template'],
  ])('rejects the LogQL query %s', (q, message) => {
    expect(() => validateLogQLMetricQuery(q, 'expr')).toThrow(message);
  });

  it('refuses duplicate log alerts per severity', () => {
    const rules = new LogAlertRules(newChart(), 'R', { name: 'r', namespace: 'logging' });
    const spec = { alert: 'Panics', expr: 'sum(rate({app="x"} |= "panic" [5m])) > 0', severity: 'critical' as const, incidentClass: 'high' as const, summary: 's', description: 'd' };
    rules.addAlert('g', spec);
    expect(() => rules.addAlert('g', spec)).toThrow("'alert' must be unique per severity");
  });
});

describe('LokiMode', () => {
  it('defaults the replication factor to what the ingester count can serve', () => {
    expect(LokiMode.distributed().replicationFactor).toBe(3);
    expect(LokiMode.distributed().ingesterReplicas).toBe(3);
    expect(LokiMode.distributed({ ingesterReplicas: 2 }).replicationFactor).toBe(1);
    expect(LokiMode.distributed({ ingesterReplicas: 3 }).replicationFactor).toBe(3);
    expect(LokiMode.distributed({ replicas: 2, ingesterReplicas: 2, replicationFactor: 2 }).replicationFactor).toBe(2);
  });
});

describe('S3 credentials from a Secret', () => {
  const chart = newChart();
  const metrics = new MetricsStack(chart, 'Metrics', { region: 'eu-west-1' });
  new LoggingStack(chart, 'Logging', {
    metrics,
    mode: LokiMode.singleBinary({ replicas: 3 }),
    storage: LokiStorage.s3({ bucket: 'ai-logs-eu-west-1', region: 'eu-west-1', credentials: S3Credentials.secret({ secretName: 'loki-s3' }), encryption: 'SSE-KMS', kmsKeyId: 'alias/loki' }),
    errorLogAlerts: false,
  });
  const objects = synth(chart);

  it('passes keys through secretKeyRef and expands them in the config', () => {
    const container = find(objects, 'StatefulSet', 'loki').spec.template.spec.containers[0];
    expect(container.args).toContain('-config.expand-env=true');
    expect(container.env).toContainEqual({ name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'loki-s3', key: 'AWS_SECRET_ACCESS_KEY' } } });
    const config = parse(find(objects, 'ConfigMap', 'loki').data['loki.yaml']);
    expect(config.common.storage.s3).toMatchObject({
      access_key_id: '${AWS_ACCESS_KEY_ID}',
      secret_access_key: '${AWS_SECRET_ACCESS_KEY}',
      sse: { type: 'SSE-KMS', kms_key_id: 'alias/loki' },
    });
    // Three single-binary replicas share S3, gossip, and shard rule evaluation.
    expect(config.common.replication_factor).toBe(3);
    expect(config.ruler.enable_sharding).toBe(true);
    expect(config.memberlist.join_members).toEqual(['dns+loki-memberlist.logging.svc.cluster.local:7946']);
    expect(parse(find(objects, 'ConfigMap', 'loki-rules').data['rules.yaml'])).toEqual({ groups: [] });
  });
});

describe('Loki endpoints for other constructs', () => {
  const chart = newChart();
  const metrics = new MetricsStack(chart, 'Metrics', { region: 'us-east-1' });
  const logging = new LoggingStack(chart, 'Logging', {
    metrics,
    storage: LokiStorage.s3({ bucket: 'ai-logs', region: 'us-east-1', credentials: S3Credentials.serviceAccountRole('arn:aws:iam::123456789012:role/loki') }),
    alertmanagerUrl: 'http://alertmanager-ai-monitoring.ai-monitoring.svc:9093',
    alertmanagerPods: { namespace: 'ai-monitoring', podLabels: { 'app.kubernetes.io/name': 'alertmanager' } },
  });
  const objects = synth(chart);

  it('exposes the query and ruler pods and narrows the ruler egress', () => {
    expect(logging.loki.queryPods).toEqual({ namespace: 'logging', podLabels: { 'app.kubernetes.io/name': 'loki-query-frontend', 'app.kubernetes.io/component': 'query-frontend' } });
    expect(logging.loki.rulerPods?.podLabels['app.kubernetes.io/name']).toBe('loki-ruler');
    expect(find(objects, 'NetworkPolicy', 'loki-ruler').spec.egress).toContainEqual({
      to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'alertmanager' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ai-monitoring' } } }],
      ports: [{ port: 9093, protocol: 'TCP' }],
    });
  });
});
