import { MetricsStack, NetworkPeer, seedPlatform } from '../../lib/index.js';
import { all, find, newChart, synth } from '../support/synth.js';

describe('MetricsStack', () => {
  const chart = newChart();
  new MetricsStack(chart, 'Metrics', seedPlatform('us-east-1').metrics);
  const objects = synth(chart);
  const prometheus = find(objects, 'Prometheus', 'ai-monitoring');

  it('pins the seed values (section 1.1)', () => {
    expect(prometheus.spec).toMatchObject({
      replicas: 2,
      retention: '30d',
      retentionSize: '100GB',
      scrapeInterval: '15s',
      scrapeTimeout: '10s',
      walCompression: true,
      replicaExternalLabelName: 'prometheus_replica',
      externalLabels: { cluster: 'ai-us-east-1', region: 'us-east-1' },
    });
    expect(prometheus.spec.storage.volumeClaimTemplate.spec.resources.requests.storage).toBe('125Gi');
    // Restores the `for` state of the seed alerts (1m, 5m) after a restart: see test/failure.
    expect(prometheus.spec.rules).toEqual({ alert: { forGracePeriod: '1m', forOutageTolerance: '1h' } });
  });

  it('selects the monitors and rules the library labels', () => {
    for (const key of ['serviceMonitorSelector', 'podMonitorSelector', 'ruleSelector', 'probeSelector', 'scrapeConfigSelector']) {
      expect(prometheus.spec[key]).toEqual({ matchLabels: { 'app.kubernetes.io/part-of': 'ai-monitoring' } });
    }
    for (const m of [...all(objects, 'ServiceMonitor'), ...all(objects, 'PodMonitor')]) {
      expect(m.metadata.labels['app.kubernetes.io/part-of']).toBe('ai-monitoring');
    }
  });

  it('is secure and highly available', () => {
    expect(prometheus.spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(prometheus.spec.topologySpreadConstraints).toHaveLength(2);
    expect(find(objects, 'PodDisruptionBudget', 'prometheus-ai-monitoring').spec.maxUnavailable).toBe(1);
    expect(find(objects, 'NetworkPolicy', 'prometheus-ai-monitoring').spec.policyTypes).toEqual(['Ingress', 'Egress']);
    const ns = find(objects, 'Namespace', 'ai-monitoring');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    for (const role of all(objects, 'ClusterRole')) {
      expect(JSON.stringify(role.rules)).not.toContain('*');
    }
  });

  it('deploys the section 2.1 exporters', () => {
    const nodeExporter = find(objects, 'DaemonSet', 'ai-monitoring-node-exporter');
    expect(nodeExporter.metadata.namespace).toBe('monitoring-agents');
    expect(nodeExporter.spec.template.spec.containers[0].args).toContain('--collector.tcpstat');
    expect(find(objects, 'Deployment', 'ai-monitoring-kube-state-metrics')).toBeDefined();
    expect(find(objects, 'ServiceMonitor', 'ai-monitoring-kubelet').spec.endpoints.map((e: any) => e.path)).toEqual(['/metrics', '/metrics/cadvisor', '/metrics/probes']);
  });

  it('matches the snapshot', () => {
    expect(objects).toMatchSnapshot();
  });
});

describe('MetricsStack rule evaluation interval', () => {
  const interval = (props: Record<string, string>) => {
    const chart = newChart();
    new MetricsStack(chart, 'Metrics', { region: 'us-east-1', ...props });
    return find(synth(chart), 'Prometheus', 'ai-monitoring').spec.evaluationInterval;
  };
  it("defaults to 30s (prometheus-operator's default), not the 15s scrape interval", () => {
    expect(interval({})).toBe('30s');
  });
  it('follows a scrape interval longer than 30s, and an explicit value', () => {
    expect(interval({ scrapeInterval: '1m', scrapeTimeout: '30s' })).toBe('1m');
    expect(interval({ evaluationInterval: '15s' })).toBe('15s');
  });
});

describe('MetricsStack bad input', () => {
  const make = (props: Record<string, unknown>) => () => new MetricsStack(newChart(), 'M', { region: 'us-east-1', ...props });
  it.each([
    [{ retention: '30 days' }, "'retention' must be a duration like 15s, 5m, 1h30m or 30d, got '30 days'"],
    [{ retentionSize: '100 gigs' }, "'retentionSize' must be a size like 512MB, 100GB or 500GiB, got '100 gigs'"],
    [{ scrapeTimeout: '20s' }, "'scrapeTimeout' must be at most the scrapeInterval (15s), got '20s'"],
    [{ retentionSize: '200GB', volumeSize: '150GB' }, "'retentionSize' must be at most the volume size (150GB), got '200GB'"],
    [{ replicas: 0 }, "'replicas' must be an integer between 1 and 100, got 0"],
    [{ replicas: -2 }, "'replicas' must be an integer between 1 and 100, got -2"],
    [{ namespace: 'Monitoring' }, "'namespace' must be a Kubernetes name"],
    [{ region: 'US_EAST' }, "'region' must be a Kubernetes name"],
    [{ externalLabels: { 'team-name': 'x' } }, "'externalLabels.team-name' must be a Prometheus label name"],
    [{ image: 'quay.io/prometheus/prometheus' }, "'image' must be an image pinned to a version"],
  ])('rejects %p', (props, message) => {
    expect(make(props)).toThrow(message);
  });
});

describe('MetricsStack flows added after construction', () => {
  it('lands in the Prometheus NetworkPolicy', () => {
    const chart = newChart();
    const m = new MetricsStack(chart, 'M', { region: 'us-east-1' });
    m.allowEgress({ peers: [NetworkPeer.namespace('alerting')], ports: [9093] });
    m.allowIngress({ peers: [NetworkPeer.namespace('pushers')], ports: [9091] });
    const policy = find(synth(chart), 'NetworkPolicy', 'prometheus-ai-monitoring');
    expect(policy.spec.egress.some((e: any) => e.ports?.[0]?.port === 9093)).toBe(true);
    expect(policy.spec.ingress.some((e: any) => e.ports?.[0]?.port === 9091)).toBe(true);
  });
});

describe('exporter monitors select their Services', () => {
  it('every ServiceMonitor of the stack matches a Service by labels', () => {
    const chart = newChart();
    new MetricsStack(chart, 'M', { region: 'us-east-1', kubelet: false, apiServer: false });
    const objects = synth(chart);
    const services = all(objects, 'Service');
    for (const sm of all(objects, 'ServiceMonitor')) {
      const sel = sm.spec.selector.matchLabels;
      const hit = services.some((s) => s.metadata.namespace === sm.metadata.namespace && Object.entries(sel).every(([k, v]) => s.metadata.labels?.[k] === v));
      expect([sm.metadata.name, hit]).toEqual([sm.metadata.name, true]);
    }
  });
});

describe('MetricsStack.addRemoteWrite', () => {
  it('refuses a URL that carries a credential, without echoing it', () => {
    const m = new MetricsStack(newChart(), 'M', { region: 'us-east-1' });
    expect(() => m.addRemoteWrite({ url: 'https://user:hunter2@receive.example.com/api/v1/receive' }))
      .toThrow("'remoteWrite.url' must be a URL without credentials");
    expect(() => m.addRemoteWrite({ url: 'https://user:hunter2@receive.example.com/api/v1/receive' })).not.toThrow(/hunter2/);
  });
});

describe('MetricsStack exporter names', () => {
  it('names kube-state-metrics and node-exporter (RBAC, Service, monitor and job label) as given', () => {
    const chart = newChart();
    new MetricsStack(chart, 'Metrics', { region: 'us-east-1', kubeStateMetrics: { name: 'ksm' }, nodeExporter: { name: 'nodes', systemd: false } });
    const objects = synth(chart);
    for (const kind of ['Deployment', 'ServiceAccount', 'Service', 'ClusterRole', 'ClusterRoleBinding', 'NetworkPolicy', 'ServiceMonitor']) find(objects, kind, 'ksm');
    expect(find(objects, 'ClusterRoleBinding', 'ksm').subjects).toEqual([{ kind: 'ServiceAccount', name: 'ksm', namespace: 'ai-monitoring' }]);
    for (const kind of ['DaemonSet', 'ServiceAccount', 'Service', 'NetworkPolicy', 'ServiceMonitor']) expect(find(objects, kind, 'nodes').metadata.namespace).toBe('monitoring-agents');
    expect(find(objects, 'DaemonSet', 'nodes').spec.template.spec.containers[0].args).not.toContain('--collector.systemd');
  });

  it('refuses a bad name with the full prop path', () => {
    expect(() => new MetricsStack(newChart(), 'M', { region: 'us-east-1', kubeStateMetrics: { name: 'KSM!' } })).toThrow(/^'kubeStateMetrics\.name' must be a Kubernetes name/);
    expect(() => new MetricsStack(newChart(), 'M', { region: 'us-east-1', nodeExporter: { name: '-x' } })).toThrow(/^'nodeExporter\.name' must be a Kubernetes name/);
    expect(() => new MetricsStack(newChart(), 'M', { region: 'us-east-1', nodeExporter: 'yes' as never })).toThrow(/^'nodeExporter' must be true, false or an options object/);
  });
});
