import { Chart, Testing } from 'cdk8s';
import { Workload } from '../../lib/core/index.js';
import { MetricsStack } from '../../lib/metrics/index.js';
import { Condition, ImpactCheck, IncidentResponse, RemediationStep, RemediationWorkflow, ResponseAction, WorkloadAutoscaler, WorkloadTarget } from '../../lib/response/index.js';
import { topologicalOrder } from '../../lib/response/dag.js';
import { newChart } from '../support/synth.js';
import { modelServing } from './fixture.js';

const restart = (name: string, dependsOn?: string[]) => RemediationStep.rolloutRestart({ name, dependsOn });

function setup() {
  const chart = newChart();
  const metrics = new MetricsStack(chart, 'Metrics', { region: 'us-east-1' });
  const target = WorkloadTarget.fromWorkload(modelServing(chart));
  const response = new IncidentResponse(chart, 'Response', { metrics });
  return { chart, metrics, target, response };
}

function workflow(props: Partial<ConstructorParameters<typeof RemediationWorkflow>[2]> = {}) {
  const { chart, target } = setup();
  return new RemediationWorkflow(chart, 'Wf', {
    name: 'remediate-test', namespace: 'incident-response', target, rule: 'test',
    prometheusUrl: 'http://prometheus:9090', alertmanagerUrl: 'http://alertmanager:9093', conditionQuery: 'up',
    steps: [restart('a')], ...props,
  });
}

describe('remediation DAG bad input', () => {
  it('rejects a cycle, naming it', () => {
    expect(() => workflow({ steps: [restart('a', ['c']), restart('b', ['a']), restart('c', ['b'])] }))
      .toThrow("'steps' must form a directed acyclic graph, got a cycle a -> c -> b -> a");
    expect(() => topologicalOrder([{ name: 'a', dependsOn: ['a'] }])).toThrow("got a cycle a -> a");
  });

  it('rejects a step that depends on an unknown step', () => {
    expect(() => workflow({ steps: [restart('a'), restart('b', ['missing'])] }))
      .toThrow("'steps.b.dependsOn' must name steps of the workflow (a, b), got unknown step 'missing'");
    expect(() => workflow().addStep(restart('b', ['nope']))).toThrow(/got unknown step 'nope'/);
  });

  it('rejects duplicate step names', () => {
    expect(() => workflow({ steps: [restart('a'), restart('a')] })).toThrow("'steps' must have unique names, got duplicate 'a'");
  });

  it('rejects negative retries', () => {
    expect(() => workflow({ retries: -1 })).toThrow("'retries' must be an integer between 0 and 10, got -1");
  });

  it('rejects a parallelism below 1', () => {
    expect(() => workflow({ parallelism: 0 })).toThrow("'parallelism' must be an integer between 1 and 100, got 0");
    expect(() => workflow({ parallelism: 2.5 })).toThrow("'parallelism' must be an integer between 1 and 100, got 2.5");
  });

  it('rejects a backoff that is not exponential, a zero cooldown and bad URLs', () => {
    expect(() => workflow({ backoff: { factor: 0 } })).toThrow("'backoff.factor' must be a finite number >= 1, got 0");
    expect(() => workflow({ cooldown: '0s' })).toThrow("'cooldown' must be a duration above 0s, got '0s'");
    expect(() => workflow({ prometheusUrl: 'prometheus:9090' })).toThrow("'prometheusUrl' must be an http(s) URL, got 'prometheus:9090'");
  });

  it('rejects a workflow without steps when synthesized', () => {
    const wf = workflow({ steps: [] });
    expect(() => Testing.synth(Chart.of(wf))).toThrow(/'steps' must be at least one step/);
  });
});

describe('automation rule bad input', () => {
  it('rejects an action on a workload that does not exist in the chart', () => {
    const { chart, response } = setup();
    response.addRule('Ghost', {
      name: 'ghost',
      target: WorkloadTarget.deployment('no-such-server', 'ai-serving'),
      condition: Condition.memoryPressure({ threshold: '85%' }),
      actions: [ResponseAction.scaleOut(), ResponseAction.remediate(restart('restart'))],
    });
    expect(() => Testing.synth(chart)).toThrow("'target' must be a Deployment or StatefulSet defined in the chart (test), got 'Deployment/ai-serving/no-such-server'");
  });

  it('rejects a patch of an object that does not exist in the chart', () => {
    const { chart, target, response } = setup();
    response.addRule('Patch', {
      name: 'patch', target, condition: Condition.memoryPressure({ threshold: '85%' }),
      actions: [ResponseAction.remediate(RemediationStep.patchService({ name: 'route', service: 'no-such-svc', patch: { spec: {} } }))],
    });
    expect(() => Testing.synth(chart)).toThrow("'steps.route.object' must be an object defined in the chart, got 'Service/ai-serving/no-such-svc'");
  });

  it('accepts a named workload that the chart defines', () => {
    const { chart, response } = setup();
    response.addRule('Named', {
      name: 'named', target: WorkloadTarget.deployment('model-serving', 'ai-serving'),
      condition: Condition.memoryPressure({ threshold: '85%' }), actions: [ResponseAction.scaleOut()],
    });
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  it('rejects bad conditions and actions', () => {
    const { target, response } = setup();
    const rule = (props: Record<string, unknown>) => () => response.addRule(`R${Math.random()}`, {
      name: 'r', target, condition: Condition.memoryPressure({ threshold: '85%' }), actions: [ResponseAction.notify()], ...props,
    });
    expect(() => Condition.memoryPressure({ threshold: '0.85' })).toThrow("'condition.threshold' must be a percentage above 0% and at most 100%, like 85%, got '0.85'");
    expect(() => Condition.latency({ threshold: '200 ms' })).toThrow("'condition.threshold' must be a duration like 15s, 5m, 1h30m or 30d, got '200 ms'");
    expect(() => Condition.latency({ threshold: '200ms', for: '0s' })).toThrow("'condition.for' must be a duration above 0s, got '0s'");
    expect(() => Condition.promql({ query: 'rate(x[5m]', threshold: 1, for: '1m', summary: 's' })).toThrow(/'condition.query' must be a valid PromQL expression/);
    expect(rule({ actions: [] })).toThrow("'actions' must be at least one action for rule 'r', got []");
    expect(rule({ alert: 'bad-name' })).toThrow("'alert' must be an alert name matching [a-zA-Z_][a-zA-Z0-9_]*, for example HighCpuUsage, got 'bad-name'");
    expect(() => ResponseAction.scaleOut({ maxReplicas: 0 })).toThrow("'maxReplicas' must be an integer between 1 and 1000, got 0");
    response.addRule('Dup', { name: 'dup', target, condition: Condition.memoryPressure({ threshold: '85%' }), actions: [ResponseAction.notify()] });
    expect(() => response.addRule('Dup2', { name: 'dup', target, condition: Condition.memoryPressure({ threshold: '85%' }), actions: [ResponseAction.notify()] }))
      .toThrow("'rules' must be unique, got duplicate 'dup'");
  });

  it('rejects bad steps', () => {
    expect(() => RemediationStep.rolloutRestart({ name: 'Bad_Name' })).toThrow(/'steps.name' must be a Kubernetes name/);
    expect(() => RemediationStep.setEnv({ name: 'x', env: {} })).toThrow("'env' must be at least one variable, got {}");
    expect(() => RemediationStep.httpRequest({ name: 'x', url: 'cache/clear' })).toThrow("'url' must be an http(s) URL, got 'cache/clear'");
    expect(() => RemediationStep.container({ name: 'x', image: 'busybox', command: ['true'] })).toThrow(/'step.image' must be an image pinned/);
    expect(() => ImpactCheck.query('up', 'sideways' as any)).toThrow("'impact.better' must be 'lower' or 'higher', got 'sideways'");
  });

  it('rejects wildcard RBAC on a custom step', () => {
    const step = RemediationStep.container({
      name: 'custom', image: 'registry.k8s.io/kubectl:v1.34.1', command: ['kubectl', 'get', 'pods'],
      rules: [{ apiGroups: [''], resources: ['*'], verbs: ['get'] }],
    });
    expect(() => workflow({ steps: [step] })).toThrow("'rules[0].resources' must be an explicit list without wildcards, got [\"*\"]");
  });

  it('rejects a scale ceiling below the floor and a DaemonSet target', () => {
    const { chart, target } = setup();
    const agent = new Workload(chart, 'Agent', {
      name: 'agent', namespace: 'ai-serving', kind: 'DaemonSet',
      containers: [{ name: 'a', image: 'registry.example.com/agent:v1.0.0', resources: { cpu: '10m', memory: '32Mi' } }],
    });
    expect(() => WorkloadTarget.fromWorkload(agent)).toThrow("'target' must be a Deployment or StatefulSet (KEDA cannot scale a DaemonSet), got 'DaemonSet/agent'");
    expect(() => new WorkloadAutoscaler(chart, 'A', { target, prometheusUrl: 'http://p:9090', maxReplicas: 1 }))
      .toThrow("'maxReplicas' must be an integer between 2 and 1000, got 1");
  });
});
