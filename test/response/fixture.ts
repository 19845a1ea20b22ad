import { Chart } from 'cdk8s';
import { Workload } from '../../lib/core/index.js';
import { MetricsStack } from '../../lib/metrics/index.js';
import {
  Condition, ImpactCheck, IncidentResponse, RemediationStep, ResponseAction, WorkloadTarget,
} from '../../lib/response/index.js';
import { newChart } from '../support/synth.js';

/** A model server like the seed's, for the rules to act on. */
export function modelServing(chart: Chart): Workload {
  return new Workload(chart, 'ModelServing', {
    name: 'model-serving',
    namespace: 'ai-serving',
    kind: 'Deployment',
    replicas: 2,
    containers: [{
      name: 'server',
      image: 'registry.example.com/model-server:v1.0.0',
      ports: [{ name: 'http', containerPort: 8080 }],
      resources: { cpu: '1', memory: '4Gi' },
    }],
    service: { ports: [{ name: 'http', port: 8080 }] },
  });
}

/** The seed's two automation rules (section 5.1) on the model-serving workload. */
export function seedResponse(chart: Chart = newChart()) {
  const metrics = new MetricsStack(chart, 'Metrics', { region: 'us-east-1' });
  const serving = modelServing(chart);
  const response = new IncidentResponse(chart, 'Response', { metrics });
  const target = WorkloadTarget.fromWorkload(serving);
  response.addRule('MemoryPressure', {
    name: 'memory-pressure',
    target,
    condition: Condition.memoryPressure({ threshold: '85%', for: '5m' }),
    actions: [
      ResponseAction.remediate(RemediationStep.rolloutRestart({ name: 'cache-cleanup' })),
      ResponseAction.scaleOut({ maxReplicas: 8 }),
      ResponseAction.notify(),
    ],
  });
  response.addRule('HighLatency', {
    name: 'high-latency',
    target,
    condition: Condition.latency({ threshold: '200ms', for: '3m' }),
    actions: [
      ResponseAction.remediate(RemediationStep.setEnv({
        name: 'enable-request-caching', env: { REQUEST_CACHE_ENABLED: 'true' }, rollbackEnv: { REQUEST_CACHE_ENABLED: 'false' },
      })),
      ResponseAction.increaseResources({ maxReplicas: 8 }),
      ResponseAction.remediate(RemediationStep.patch({
        name: 'route-traffic',
        dependsOn: ['enable-request-caching'],
        object: serving.node.findChild('Service') as any,
        patch: { spec: { trafficDistribution: 'PreferClose' } },
        rollbackPatch: { spec: { trafficDistribution: null } },
        impact: ImpactCheck.condition(),
      })),
    ],
  });
  return { chart, metrics, serving, response };
}
