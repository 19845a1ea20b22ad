import { App, Chart } from 'cdk8s';
import { IMAGES } from '../../lib/core/images.js';
import { restrictedContainerSecurityContext } from '../../lib/core/workload.js';
import {
  ClusterPrerequisites, defaultPrerequisites, OPERATOR_VERSIONS, Prerequisite, PREREQUISITES,
} from '../../lib/pulumi/index.js';
import { IncidentResponse, JETSTREAM } from '../../lib/response/index.js';
import { recordResources, settle } from './support.js';

const recorded = recordResources();

describe('ClusterPrerequisites (mocked)', () => {
  const prerequisites = new ClusterPrerequisites('cluster');
  const ready = settle(...prerequisites.resources);
  const releases = () => recorded.filter((r) => r.type === 'kubernetes:helm.sh/v3:Release');
  const release = (chart: string) => releases().find((r) => r.inputs.chart === chart)!;
  const files = () => recorded.filter((r) => r.type === 'kubernetes:yaml/v2:ConfigGroup').map((r) => r.inputs.files[0]);

  it('installs the one verified set of versions', async () => {
    await ready;
    expect(OPERATOR_VERSIONS).toEqual({
      prometheusOperator: 'v0.86.0',
      cloudnativePg: '1.27.0',
      keda: '2.21.0',
      argoWorkflowsChart: '2.0.1',
      argoEventsChart: '2.4.21',
    });
    expect(IMAGES.prometheusOperator).toBe('quay.io/prometheus-operator/prometheus-operator:v0.86.0');
    expect(files().sort()).toEqual([
      'https://github.com/kedacore/keda/releases/download/v2.21.0/keda-2.21.0.yaml',
      'https://github.com/prometheus-operator/prometheus-operator/releases/download/v0.86.0/bundle.yaml',
      'https://raw.githubusercontent.com/cloudnative-pg/cloudnative-pg/release-1.27/releases/cnpg-1.27.0.yaml',
    ]);
    expect(releases().map((r) => [r.inputs.chart, r.inputs.version, r.inputs.namespace, r.inputs.repositoryOpts.repo]).sort()).toEqual([
      ['argo-events', '2.4.21', 'argo-events', 'https://argoproj.github.io/argo-helm'],
      ['argo-workflows', '2.0.1', 'argo', 'https://argoproj.github.io/argo-helm'],
    ]);
    releases().forEach((r) => expect(r.inputs).toMatchObject({ createNamespace: true, atomic: true }));
  });

  it('lets Argo Workflows run workflows in incident-response with a restricted, bounded executor', async () => {
    await ready;
    const values = release('argo-workflows').inputs.values;
    // metricsConfig: plain-HTTP /metrics for the platform's PodMonitor (the controller's own default is self-signed TLS).
    expect(values.controller).toEqual({ workflowNamespaces: ['incident-response'], metricsConfig: { enabled: true, secure: false } });
    // The same settings the library gives every container (restricted Pod Security Standard).
    expect(values.executor.securityContext).toEqual(restrictedContainerSecurityContext());
    expect(values.executor.resources).toEqual({ requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '256Mi' } });
  });

  it('lists exactly the JetStream version the EventBus of IncidentResponse uses', async () => {
    await ready;
    expect(release('argo-events').inputs.values).toEqual({
      configs: {
        jetstream: {
          versions: [{
            version: '2.10.10',
            natsImage: 'docker.io/library/nats:2.10.10',
            metricsExporterImage: 'docker.io/natsio/prometheus-nats-exporter:0.14.0',
            configReloaderImage: 'docker.io/natsio/nats-server-config-reloader:0.14.0',
            startCommand: '/nats-server',
          }],
        },
      },
    });
    const chart = new Chart(new App(), 'c');
    new IncidentResponse(chart, 'Response', {
      metrics: { url: 'http://prometheus.ai-monitoring.svc:9090', namespace: 'monitoring', podLabels: { app: 'prometheus' }, allowIngress: () => undefined },
    });
    const bus = chart.toJson().find((o) => o.kind === 'EventBus');
    expect(bus.spec.jetstream.version).toBe(JETSTREAM.version);
  });

  it('takes other workflow namespaces and rejects bad ones', () => {
    const [, , , workflows] = defaultPrerequisites({ workflowNamespaces: ['response-a', 'response-b'] });
    expect(workflows.chart!.values).toMatchObject({ controller: { workflowNamespaces: ['response-a', 'response-b'] } });
    expect(PREREQUISITES.map((p) => `${p.name}@${p.version}`)).toEqual([
      'prometheus-operator@v0.86.0', 'cloudnative-pg@1.27.0', 'keda@2.21.0', 'argo-workflows@2.0.1', 'argo-events@2.4.21',
    ]);
    expect(() => defaultPrerequisites({ workflowNamespaces: [] })).toThrow("'workflowNamespaces' must be at least one namespace, got []");
    expect(() => defaultPrerequisites({ workflowNamespaces: ['Bad_NS'] })).toThrow("'workflowNamespaces[0]' must be a Kubernetes name");
  });

  it('rejects an unpinned chart, a manifest URL without its version and a duplicate', () => {
    expect(() => Prerequisite.helm({ name: 'x', chart: 'x', repo: 'https://example.com', version: '2.x', namespace: 'x' }))
      .toThrow("'prerequisites.x.version' must be an exact chart version like 1.2.3, got '2.x'");
    expect(() => Prerequisite.manifest('keda', '2.21.0', 'https://example.com/keda-latest.yaml'))
      .toThrow("'prerequisites.keda.url' must be an https URL of a YAML release manifest that names version 2.21.0");
    expect(() => new ClusterPrerequisites('dup', { prerequisites: [PREREQUISITES[2], PREREQUISITES[2]] })).toThrow(/keda/);
  });
});
