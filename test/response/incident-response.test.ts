import { MetricsStack } from '../../lib/metrics/index.js';
import { IncidentResponse, seedAutomationRules, WorkloadTarget } from '../../lib/response/index.js';
import { find, all, newChart, synth, Manifest } from '../support/synth.js';
import { modelServing, seedResponse } from './fixture.js';

describe('IncidentResponse wired to an Alertmanager', () => {
  it('admits the webhook from and escalates to the Alertmanager pods only', () => {
    const chart = newChart();
    const metrics = new MetricsStack(chart, 'Metrics', { region: 'us-east-1' });
    const serving = modelServing(chart);
    new IncidentResponse(chart, 'Response', {
      metrics,
      alertmanager: { url: 'http://alertmanager-ai-monitoring.alerting.svc:9093', namespace: 'alerting', podLabels: { 'app.kubernetes.io/name': 'alertmanager' } },
      rules: seedAutomationRules(WorkloadTarget.fromWorkload(serving)),
    });
    const objects = synth(chart);
    const peer = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'alerting' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'alertmanager' } } };
    expect(find(objects, 'NetworkPolicy', 'alertmanager-eventsource').spec.ingress[0].from).toEqual([peer]);
    expect(find(objects, 'NetworkPolicy', 'remediation').spec.egress[1]).toEqual({ to: [peer], ports: [{ port: 9093, protocol: 'TCP' }] });
    const escalate = find(objects, 'WorkflowTemplate', 'remediate-high-latency').spec.templates.find((t: any) => t.name === 'escalate-notify');
    expect(escalate.script.env[0]).toEqual({ name: 'ALERTMANAGER_URL', value: 'http://alertmanager-ai-monitoring.alerting.svc:9093' });
  });
});

describe('IncidentResponse with the seed automation rules (5.1, 5.2, 6.2)', () => {
  const { chart, response } = seedResponse();
  const objects = synth(chart);
  const memory = find(objects, 'WorkflowTemplate', 'remediate-memory-pressure');
  const latency = find(objects, 'WorkflowTemplate', 'remediate-high-latency');
  const tasks = (wf: Manifest) => wf.spec.templates.find((t: any) => t.name === 'main').dag.tasks as any[];
  const template = (wf: Manifest, name: string) => wf.spec.templates.find((t: any) => t.name === name);

  it('alerts on each condition with its threshold, duration and rule label', () => {
    const rules = find(objects, 'PrometheusRule', 'automation-rules').spec.groups[0].rules;
    expect(rules.map((r: any) => [r.alert, r.for, r.labels.automation_rule, r.labels.severity, r.labels.incident_class])).toEqual([
      ['ModelServingMemoryPressure', '5m', 'memory-pressure', 'critical', 'high'],
      ['ModelServingHighLatency', '3m', 'high-latency', 'critical', 'high'],
    ]);
    expect(rules[0].expr).toMatch(/container_memory_working_set_bytes\{namespace="ai-serving", pod=~"model-serving-\[a-z0-9\]\+-\[a-z0-9\]\+", container!=""\}.*> 0\.85$/);
    expect(rules[1].expr).toBe('histogram_quantile(0.95, sum by (le) (rate(model_inference_latency_seconds_bucket{namespace="ai-serving", pod=~"model-serving-[a-z0-9]+-[a-z0-9]+"}[5m]))) > 0.2');
  });

  it('scales the model-serving Deployment with one ScaledObject and a Prometheus trigger per rule', () => {
    const scaled = all(objects, 'ScaledObject');
    expect(scaled).toHaveLength(1);
    const spec = scaled[0].spec;
    expect(scaled[0].metadata).toMatchObject({ name: 'model-serving', namespace: 'ai-serving' });
    expect(spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'model-serving' });
    expect([spec.minReplicaCount, spec.maxReplicaCount]).toEqual([2, 8]);
    expect(spec.triggers.map((t: any) => [t.type, t.name, t.metricType, t.metadata.serverAddress, t.metadata.threshold])).toEqual([
      ['prometheus', 'memory-pressure', 'Value', 'http://prometheus-ai-monitoring.ai-monitoring.svc:9090', '0.85'],
      ['prometheus', 'high-latency', 'Value', 'http://prometheus-ai-monitoring.ai-monitoring.svc:9090', '0.2'],
    ]);
    expect(spec.triggers[0].metadata.query).toMatch(/^min_over_time\(\(\(sum\(container_memory_working_set_bytes.*\) >= 0 or vector\(0\)\)\[5m:30s\]\)$/);
    expect(spec.triggers[1].metadata.query).toMatch(/^min_over_time\(\(\(histogram_quantile\(0\.95, .*\) >= 0 or vector\(0\)\)\[3m:30s\]\)$/);
  });

  it('runs remediation DAGs with the seed parallelism, retries and exponential backoff', () => {
    for (const wf of [memory, latency]) {
      expect(wf.spec).toMatchObject({ entrypoint: 'main', onExit: 'escalate', parallelism: 5, ttlStrategy: { secondsAfterCompletion: 900 } });
      for (const t of wf.spec.templates.filter((x: any) => x.container)) {
        expect(t.retryStrategy).toEqual({ limit: 3, retryPolicy: 'Always', backoff: { duration: '30s', factor: 2, maxDuration: '10m' } });
      }
    }
  });

  it('measures before and after every step and rolls back on a negative impact', () => {
    const t = tasks(latency);
    expect(t.map((x) => [x.name, x.depends ?? ''])).toEqual([
      ['enable-request-caching-before', ''],
      ['enable-request-caching', 'enable-request-caching-before'],
      ['enable-request-caching-impact', 'enable-request-caching'],
      ['enable-request-caching-rollback', 'enable-request-caching-impact'],
      ['route-traffic-before', 'enable-request-caching-rollback'],
      ['route-traffic', 'route-traffic-before'],
      ['route-traffic-impact', 'route-traffic'],
      ['route-traffic-rollback', 'route-traffic-impact'],
    ]);
    expect(t[3].when).toBe('{{tasks.enable-request-caching-impact.outputs.result}} == negative');
    expect(t[2].arguments.parameters[1]).toEqual({ name: 'before', value: '{{tasks.enable-request-caching-before.outputs.result}}' });
    expect(template(latency, 'enable-request-caching').container.command).toEqual(['kubectl', 'set', 'env', 'deployment/model-serving', '-n', 'ai-serving', 'REQUEST_CACHE_ENABLED=true']);
    expect(template(latency, 'enable-request-caching-rollback').container.command.at(-1)).toBe('REQUEST_CACHE_ENABLED=false');
    expect(template(latency, 'route-traffic').container.command).toEqual(['kubectl', 'patch', 'service/model-serving', '-n', 'ai-serving', '--type', 'merge', '-p', '{"spec":{"trafficDistribution":"PreferClose"}}']);
    // A rolling restart cannot be undone: no rollback task, the DAG ends with the impact check.
    expect(tasks(memory).map((x) => x.name)).toEqual(['cache-cleanup-before', 'cache-cleanup', 'cache-cleanup-impact']);
  });

  it('escalates to Alertmanager when the workflow does not succeed', () => {
    expect(template(memory, 'escalate').dag.tasks).toEqual([{ name: 'notify', template: 'escalate-notify', when: '{{workflow.status}} != Succeeded' }]);
    const env = Object.fromEntries(template(memory, 'escalate-notify').script.env.map((e: any) => [e.name, e.value]));
    expect(env).toMatchObject({ ALERTMANAGER_URL: 'http://alertmanager-operated.ai-monitoring.svc:9093', RULE: 'memory-pressure' });
  });

  it('runs every action under its own ServiceAccount with verbs on the named workload only', () => {
    const accounts = latency.spec.templates.filter((t: any) => t.container).map((t: any) => [t.name, t.serviceAccountName]);
    expect(accounts).toEqual([
      ['enable-request-caching', 'remediate-high-latency-enable-request-caching'],
      ['enable-request-caching-rollback', 'remediate-high-latency-enable-request-caching'],
      ['route-traffic', 'remediate-high-latency-route-traffic'],
      ['route-traffic-rollback', 'remediate-high-latency-route-traffic'],
    ]);
    expect(find(objects, 'Role', 'remediate-high-latency-enable-request-caching-action')).toMatchObject({
      metadata: { namespace: 'ai-serving' },
      rules: [{ apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['model-serving'], verbs: ['get', 'patch'] }],
    });
    expect(find(objects, 'Role', 'remediate-high-latency-route-traffic-action').rules).toEqual([
      { apiGroups: [''], resources: ['services'], resourceNames: ['model-serving'], verbs: ['get', 'patch'] },
    ]);
    expect(find(objects, 'Role', 'remediate-high-latency-observer').rules).toEqual([
      { apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] },
    ]);
    for (const r of [...all(objects, 'Role'), ...all(objects, 'ClusterRole')]) expect(JSON.stringify(r.rules)).not.toContain('*');
  });

  it('feeds Alertmanager notifications through the webhook EventSource and a Sensor per rule', () => {
    const source = find(objects, 'EventSource', 'alertmanager');
    expect(source.spec.webhook).toEqual({ alerts: { port: '12000', endpoint: '/alerts', method: 'POST' } });
    expect(response.receiver).toEqual({ name: 'incident-response', webhookUrl: 'http://alertmanager-eventsource-svc.incident-response.svc:12000/alerts' });
    const sensor = find(objects, 'Sensor', 'memory-pressure');
    const resource = sensor.spec.triggers[0].template.argoWorkflow.source.resource;
    expect(resource).toMatchObject({ kind: 'Workflow', metadata: { name: 'remediate-memory-pressure' }, spec: { workflowTemplateRef: { name: 'remediate-memory-pressure' } } });
    expect(sensor.spec.template.serviceAccountName).toBe('sensor-memory-pressure');
    // The argo CLI in the Sensor writes the Workflow to a temp file; the root filesystem is read-only.
    expect(sensor.spec.template.container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(sensor.spec.template.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
    expect(find(objects, 'Role', 'sensor-memory-pressure').rules).toEqual([
      { apiGroups: ['argoproj.io'], resources: ['workflows'], verbs: ['create', 'get', 'list'] },
      { apiGroups: ['argoproj.io'], resources: ['workflowtemplates'], resourceNames: ['remediate-memory-pressure'], verbs: ['get'] },
    ]);
  });

  it('tells the routing construct what to route to the webhook', () => {
    const base = { receiver: 'incident-response', groupBy: ['alertname', 'automation_rule'], repeatInterval: '15m' };
    expect(response.routes).toEqual([
      // high latency acts without paging anyone (no "notify operations" in the seed)
      { ...base, alertNames: ['ModelServingHighLatency'], continue: false },
      { ...base, alertNames: ['ModelServingMemoryPressure'], continue: true },
    ]);
    expect(response.notifyAlertNames).toEqual(['ModelServingMemoryPressure']);
    expect(response.remediationAlertNames).toEqual(['ModelServingMemoryPressure', 'ModelServingHighLatency']);
  });

  it('allows only the flows the response needs', () => {
    const policy = (name: string) => find(objects.filter((o) => o.metadata.namespace === 'incident-response'), 'NetworkPolicy', name).spec;
    expect(policy('alertmanager-eventsource').ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ai-monitoring' } } }], ports: [{ port: 12000, protocol: 'TCP' }],
    }]);
    expect(policy('remediation').egress.map((e: any) => e.ports.map((p: any) => p.port))).toEqual([[9090], [9093], [443, 6443]]);
    expect(policy('sensor-memory-pressure').podSelector).toEqual({ matchLabels: { 'sensor-name': 'memory-pressure' } });
    const prometheusIngress = find(objects, 'NetworkPolicy', 'prometheus-ai-monitoring').spec.ingress.map((i: any) => i.from[0].namespaceSelector?.matchLabels['kubernetes.io/metadata.name']);
    expect(prometheusIngress).toEqual(expect.arrayContaining(['incident-response', 'keda']));
    expect(find(objects, 'Namespace', 'incident-response').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it('matches the snapshot', () => {
    const kinds = ['ScaledObject', 'WorkflowTemplate', 'Sensor', 'EventSource', 'EventBus', 'PrometheusRule', 'ServiceAccount', 'Role', 'RoleBinding', 'NetworkPolicy', 'Namespace'];
    expect(objects.filter((o) => kinds.includes(o.kind) && ['incident-response', 'ai-serving', undefined].includes(o.metadata.namespace) && o.metadata.name !== 'monitoring')).toMatchSnapshot();
  });
});

