// A user-defined DAG: parallel roots, a join, steps without impact check, custom impact queries.
import { IPolicyRule } from 'kubernetes-models/rbac.authorization.k8s.io/v1/PolicyRule';
import { MetricsStack } from '../../lib/metrics/index.js';
import { ImpactCheck, RemediationStep, RemediationWorkflow, WorkloadTarget } from '../../lib/response/index.js';
import { find, newChart, synth } from '../support/synth.js';
import { modelServing } from './fixture.js';

describe('RemediationWorkflow with a user-defined DAG', () => {
  const chart = newChart();
  new MetricsStack(chart, 'Metrics', { region: 'us-east-1' });
  const target = WorkloadTarget.fromWorkload(modelServing(chart));
  const configRule: IPolicyRule = { apiGroups: [''], resources: ['configmaps'], resourceNames: ['model-serving-flags'], verbs: ['get', 'patch'] };
  const wf = new RemediationWorkflow(chart, 'Wf', {
    name: 'remediate-custom', namespace: 'incident-response', target, rule: 'custom',
    prometheusUrl: 'http://prometheus-ai-monitoring.ai-monitoring.svc:9090', alertmanagerUrl: 'http://alertmanager-operated.ai-monitoring.svc:9093',
    conditionQuery: 'vector(1)', parallelism: 2, retries: 0, backoff: { duration: '10s', factor: 3, maxDuration: '2m' },
    settleTime: '30s', cooldown: '1h',
    steps: [
      RemediationStep.httpRequest({ name: 'purge-cache', url: 'http://model-serving.ai-serving.svc:8080/admin/cache', method: 'DELETE', impact: ImpactCheck.none() }),
      RemediationStep.container({
        name: 'flag', image: 'registry.k8s.io/kubectl:v1.34.1',
        command: ['kubectl', 'patch', 'configmap/model-serving-flags', '-n', 'ai-serving', '-p', '{"data":{"cache":"on"}}'],
        rollback: { command: ['kubectl', 'patch', 'configmap/model-serving-flags', '-n', 'ai-serving', '-p', '{"data":{"cache":"off"}}'] },
        rules: [configRule],
        impact: ImpactCheck.query('sum(rate(model_requests_total{namespace="ai-serving"}[5m]))', 'higher'),
      }),
      RemediationStep.rolloutRestart({ name: 'restart', dependsOn: ['purge-cache', 'flag'] }),
    ],
  });
  const objects = synth(chart);
  const template = find(objects, 'WorkflowTemplate', 'remediate-custom');
  const tasks = template.spec.templates.find((t: any) => t.name === 'main').dag.tasks;
  const byName = Object.fromEntries(tasks.map((t: any) => [t.name, t]));

  it('joins parallel branches on their last task (the step, its impact check or its rollback)', () => {
    expect(wf.stepNames).toEqual(['purge-cache', 'flag', 'restart']);
    expect(byName['purge-cache'].depends).toBeUndefined();
    expect(byName['flag-before'].depends).toBeUndefined();
    expect(byName['restart-before'].depends).toBe('purge-cache && flag-rollback');
    expect(byName['purge-cache-before']).toBeUndefined();
  });

  it("measures with the step's own query and direction", () => {
    expect(byName['flag-impact'].arguments.parameters).toEqual([
      { name: 'query', value: 'sum(rate(model_requests_total{namespace="ai-serving"}[5m]))' },
      { name: 'before', value: '{{tasks.flag-before.outputs.result}}' },
      { name: 'better', value: 'higher' },
    ]);
    expect(byName['restart-impact'].arguments.parameters[0]).toEqual({ name: 'query', value: 'vector(1)' });
    const impact = template.spec.templates.find((t: any) => t.name === 'impact');
    expect(impact.script.env).toContainEqual({ name: 'SETTLE_SECONDS', value: '30' });
  });

  it('applies the tuning: parallelism, retries, backoff and cooldown', () => {
    expect(template.spec.parallelism).toBe(2);
    expect(template.spec.ttlStrategy).toEqual({ secondsAfterCompletion: 3600 });
    const flag = template.spec.templates.find((t: any) => t.name === 'flag');
    expect(flag.retryStrategy).toEqual({ limit: 0, retryPolicy: 'Always', backoff: { duration: '10s', factor: 3, maxDuration: '2m' } });
  });

  it('gives each step only its own RBAC', () => {
    expect(find(objects, 'Role', 'remediate-custom-flag-action').rules).toEqual([configRule]);
    expect(objects.find((o) => o.kind === 'Role' && o.metadata.name === 'remediate-custom-purge-cache-action')).toBeUndefined();
    expect(template.spec.templates.find((t: any) => t.name === 'purge-cache').container.command)
      .toEqual(['curl', '-fsS', '--max-time', '30', '-X', 'DELETE', 'http://model-serving.ai-serving.svc:8080/admin/cache']);
  });
});
