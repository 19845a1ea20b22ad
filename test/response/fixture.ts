import { Chart } from 'cdk8s';
import { Workload } from '../../lib/core/index.js';
import { MetricsStack } from '../../lib/metrics/index.js';
import { IncidentResponse, seedAutomationRules, WorkloadTarget } from '../../lib/response/index.js';
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
  const response = new IncidentResponse(chart, 'Response', { metrics, rules: seedAutomationRules(WorkloadTarget.fromWorkload(serving)) });
  return { chart, metrics, serving, response };
}
