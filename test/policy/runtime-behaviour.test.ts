// Issue 14: what the platform deploys does its job at run time. Each block is one defect of the
// issue, asserted on the synthesized seed platform (both regions) or a focused chart, against
// hand-written expectations from the upstream rules (Loki's ring quorum, Argo Events' controller
// config, prometheus-operator's CRD, KEDA's ownership of the scale).
import { parse } from 'yaml';
import { IncidentRouting, LogAgent, LogAgentDaemonSet, LogParser, MetricsStack, NetworkPeer, PlatformNamespace, Receiver, SEED_REGIONS } from '../../lib/index.js';
import { LongTermStorage, ObjectStorage } from '../../lib/topology/index.js';
import { IncidentResponse, seedAutomationRules, WorkloadTarget } from '../../lib/response/index.js';
import { modelServing } from '../response/fixture.js';
import { seedObjects } from '../support/seed.js';
import { Manifest, newChart, synth } from '../support/synth.js';

const byKindName = (objects: Manifest[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name)!;
const seconds = (d: string) => Number(/^(\d+)s$/.exec(d)?.[1] ?? Number(/^(\d+)m$/.exec(d)![1]) * 60);

describe.each(SEED_REGIONS)('seed platform %s at run time', (region) => {
  const objects = seedObjects(region);
  const lokiConfig = parse(byKindName(objects, 'ConfigMap', 'loki').data['loki.yaml']);
  const ingesters = byKindName(objects, 'StatefulSet', 'loki-ingester');

  it('Loki tolerates one ingester down by its own quorum rule (RF 3, floor(RF/2)+1 = 2)', () => {
    const rf = lokiConfig.common.replication_factor;
    const replicas = ingesters.spec.replicas;
    expect(rf).toBe(3);
    expect(replicas).toBeGreaterThanOrEqual(3);
    const quorum = Math.floor(rf / 2) + 1;
    // With one ingester lost, every stream still has rf - 1 live replicas: writes and reads need a quorum.
    expect(rf - 1).toBeGreaterThanOrEqual(quorum);
    // One per zone first: the zone spread is hard for the ingesters.
    const zone = ingesters.spec.template.spec.topologySpreadConstraints.find((t: any) => t.topologyKey === 'topology.kubernetes.io/zone');
    expect(zone.whenUnsatisfiable).toBe('DoNotSchedule');
  });

  it('ingesters keep their ring tokens on the persistent volume', () => {
    const path = lokiConfig.ingester.lifecycler.tokens_file_path;
    const mount = ingesters.spec.template.spec.containers[0].volumeMounts.find((m: any) => path.startsWith(`${m.mountPath}/`));
    expect(ingesters.spec.volumeClaimTemplates.map((c: any) => c.metadata.name)).toContain(mount.name);
  });

  it('Loki has an explicit stream limit, timeouts above the query timeout, a results cache and absolute alert links', () => {
    expect(lokiConfig.limits_config.max_global_streams_per_user).toBe(50000);
    const query = seconds(lokiConfig.limits_config.query_timeout);
    expect(seconds(lokiConfig.server.http_server_read_timeout)).toBeGreaterThanOrEqual(query);
    expect(seconds(lokiConfig.server.http_server_write_timeout)).toBeGreaterThanOrEqual(query);
    expect(lokiConfig.query_range.cache_results).toBe(true);
    expect(lokiConfig.query_range.results_cache.cache.embedded_cache.enabled).toBe(true);
    // Alert links open Explore in the region's Grafana, on the Loki datasource it provisions.
    expect(lokiConfig.ruler.external_url).toBe('http://ai-monitoring-grafana.ai-monitoring.svc:3000');
    const ds = parse(byKindName(objects, 'ConfigMap', 'ai-monitoring-grafana-datasources').data['datasources.yaml']).datasources;
    expect(ds.find((d: any) => d.uid === lokiConfig.ruler.datasource_uid)?.type).toBe('loki');
  });

  it('rulers reach each other on gRPC 9095, and Grafana lists Loki rules from the ruler', () => {
    const policy = byKindName(objects, 'NetworkPolicy', 'loki-ruler');
    const rulerLabels = byKindName(objects, 'Deployment', 'loki-ruler').spec.selector.matchLabels;
    const fromRulers = policy.spec.ingress.filter((r: any) => r.from?.some((f: any) => JSON.stringify(f.podSelector?.matchLabels) === JSON.stringify(rulerLabels)));
    expect(fromRulers.flatMap((r: any) => r.ports.map((p: any) => p.port))).toContain(9095);
    const ds = parse(byKindName(objects, 'ConfigMap', 'ai-monitoring-grafana-datasources').data['datasources.yaml']).datasources;
    const rules = ds.find((d: any) => d.uid === 'loki-rules');
    expect(rules.url).toBe('http://loki-ruler.logging.svc.cluster.local:3100');
    expect(rules.jsonData.manageAlerts).toBe(true);
    expect(ds.find((d: any) => d.uid === 'loki').jsonData.manageAlerts).toBe(false);
  });

  it('every Alloy stage has an effect: level label, ids as structured metadata, GeoIP country, syslog time, receiver host/program', () => {
    const alloy: string = byKindName(objects, 'ConfigMap', 'alloy-logs').data['config.alloy'];
    const json = alloy.slice(alloy.indexOf('pipeline_name = "parser_json"'), alloy.indexOf('pipeline_name = "parser_syslog"'));
    expect(json).toMatch(/stage\.labels \{\s+values = \{\s+level = ""/);
    expect(json).toMatch(/stage\.structured_metadata \{\s+values = \{\s+trace_id\s+= "",\s+request_id = "",\s+\}/);
    expect(json).toMatch(/stage\.geoip \{\s+source\s+= "client_ip"\s+db\s+= "\/etc\/geoip\/GeoLite2-Country\.mmdb"\s+db_type = "country"/);
    expect(json).toMatch(/stage\.labels \{\s+values = \{\s+geoip_country_code = ""/);
    const syslog = alloy.slice(alloy.indexOf('pipeline_name = "parser_syslog"'));
    expect(syslog).toMatch(/stage\.timestamp \{\s+source = "timestamp"\s+format = "Jan _2 15:04:05"/);
    const ds = byKindName(objects, 'DaemonSet', 'alloy-logs');
    const data = ds.spec.template.spec.volumes.find((v: any) => v.name === 'data');
    expect(data.hostPath).toEqual({ path: '/var/lib/ai-monitoring/alloy-logs', type: 'DirectoryOrCreate' });
    expect(ds.spec.template.spec.volumes.find((v: any) => v.name === 'geoip').hostPath.path).toBe('/var/lib/geoip');
  });

  it('a KEDA-scaled Deployment declares no replicas', () => {
    const scaled = objects.filter((o) => o.kind === 'ScaledObject');
    expect(scaled.length).toBeGreaterThan(0);
    for (const s of scaled) {
      const target = objects.find((o) => o.kind === s.spec.scaleTargetRef.kind && o.metadata.name === s.spec.scaleTargetRef.name && o.metadata.namespace === s.metadata.namespace)!;
      expect([target.metadata.name, target.spec.replicas]).toEqual([target.metadata.name, undefined]);
    }
  });

  it('the EventBus runs a JetStream version Argo Events v1.9.10 lists by default', () => {
    // manifests/base/controller-manager/controller-config.yaml of argo-events v1.9.x.
    expect(['2.8.1', '2.8.1-alpine', '2.8.2', '2.8.2-alpine', '2.9.1', '2.9.12', '2.9.16', '2.10.10'])
      .toContain(byKindName(objects, 'EventBus', 'default').spec.jetstream.version);
  });

  it('targets the platform does not control set a fallback scrape protocol', () => {
    const third = [
      ['ServiceMonitor', 'dcgm-exporter'], ['ScrapeConfig', 'pinecone'], ['PodMonitor', 'vector-store'],
    ];
    for (const [kind, name] of third) expect([kind, name, byKindName(objects, kind, name).spec.fallbackScrapeProtocol]).toEqual([kind, name, 'PrometheusText0.0.4']);
    const models = objects.filter((o) => o.kind === 'PodMonitor' && o.spec.podMetricsEndpoints.some((e: any) => e.relabelings?.some((r: any) => r.targetLabel === 'model_server')));
    expect(models.length).toBeGreaterThan(0);
    models.forEach((m) => expect(m.spec.fallbackScrapeProtocol).toBe('PrometheusText0.0.4'));
  });
});

describe.each(['alloy', 'promtail'] as const)('%s agent', (kind) => {
  const chart = newChart();
  // Host access is allowed only in a namespace declared for node agents.
  new PlatformNamespace(chart, 'Agents', { name: 'monitoring-agents', podSecurity: 'privileged', podSecurityReason: 'node agents read host files' });
  new LogAgentDaemonSet(chart, 'Agent', {
    namespace: 'monitoring-agents',
    agent: kind === 'alloy' ? LogAgent.alloy() : LogAgent.promtail(),
    pushUrl: 'http://loki-distributor.logging.svc:3100/loki/api/v1/push',
    lokiPeer: NetworkPeer.namespace('logging'),
    syslogReceiver: { port: 1514, allowFrom: [NetworkPeer.cidr('10.0.0.0/8')] },
  });
  const objects = synth(chart);
  const name = kind === 'alloy' ? 'alloy-logs' : 'promtail';
  const config: string = byKindName(objects, 'ConfigMap', name).data[kind === 'alloy' ? 'config.alloy' : 'promtail.yaml'];

  it('keeps read positions on the node', () => {
    const spec = byKindName(objects, 'DaemonSet', name).spec.template.spec;
    const data = spec.volumes.find((v: any) => v.name === 'data');
    expect(data.hostPath).toEqual({ path: `/var/lib/ai-monitoring/${name}`, type: 'DirectoryOrCreate' });
    const mount = spec.containers[0].volumeMounts.find((m: any) => m.name === 'data');
    if (kind === 'promtail') expect(parse(config).positions.filename.startsWith(`${mount.mountPath}/`)).toBe(true);
    else expect(spec.containers[0].args).toContain(`--storage.path=${mount.mountPath}/data`);
  });

  it('keeps the syslog sender\'s host, program and timestamp', () => {
    if (kind === 'promtail') {
      const job = parse(config).scrape_configs.find((c: any) => c.job_name === 'syslog-receiver');
      expect(job.syslog.use_incoming_timestamp).toBe(true);
      expect(job.relabel_configs).toEqual(expect.arrayContaining([
        { source_labels: ['__syslog_message_hostname'], target_label: 'host' },
        { source_labels: ['__syslog_message_app_name'], target_label: 'program' },
      ]));
    } else {
      expect(config).toMatch(/loki\.relabel "syslog_receiver" \{[^]*source_labels = \["__syslog_message_hostname"\]\s+target_label\s+= "host"[^]*source_labels = \["__syslog_message_app_name"\]\s+target_label\s+= "program"/);
      expect(config).toMatch(/relabel_rules = loki\.relabel\.syslog_receiver\.rules/);
      expect(config).toMatch(/use_incoming_timestamp = true/);
    }
  });

  it('takes syslog file lines\' time from the line and sends the default JSON fields somewhere', () => {
    if (kind === 'promtail') {
      const stages = parse(config).scrape_configs[0].pipeline_stages;
      const syslog = stages.find((s: any) => s.match?.pipeline_name === 'parser_syslog').match.stages;
      expect(syslog).toContainEqual({ timestamp: { source: 'timestamp', format: 'Jan _2 15:04:05' } });
      const json = stages.find((s: any) => s.match?.pipeline_name === 'parser_json').match.stages;
      expect(json).toEqual([
        { json: { expressions: { level: 'level', trace_id: 'trace_id', request_id: 'request_id' } } },
        { labels: { level: null } },
        { structured_metadata: { trace_id: null, request_id: null } },
      ]);
    } else {
      expect(config).toMatch(/stage\.timestamp \{\s+source = "timestamp"\s+format = "Jan _2 15:04:05"/);
    }
  });
});

describe('log pipeline inputs', () => {
  it('refuses a JSON field that nothing uses', () => {
    expect(() => LogParser.json({ fields: { level: 'level', user: 'user' }, labels: ['level'], structuredMetadata: [] }))
      .toThrow(/'parsers\.json\.fields' must be fields that each become a label, structured metadata.*got 'user'/);
  });

  it('the seed platform refuses to build without the GeoIP database', async () => {
    const { MonitoringPlatform, seedPlatform } = await import('../../lib/index.js');
    expect(() => new MonitoringPlatform(newChart(), 'Platform', seedPlatform('us-east-1'))).toThrow(/'logging.geoipDatabase'.*GeoIpDatabase\.fromVolume/);
  });
});

describe('CR versions follow the image', () => {
  it('Prometheus and the Thanos sidecar take the overridden image tag', () => {
    const chart = newChart();
    const metrics = new MetricsStack(chart, 'Metrics', { region: 'us-east-1', image: 'quay.io/prometheus/prometheus:v3.4.2' });
    new LongTermStorage(chart, 'Storage', {
      metrics, image: 'quay.io/thanos/thanos:v0.38.0',
      objectStorage: ObjectStorage.s3({ bucket: 'ai-monitoring-metrics-us-east-1', region: 'us-east-1' }),
    });
    const prom = synth(chart).find((o) => o.kind === 'Prometheus')!;
    expect(prom.spec.version).toBe('v3.4.2');
    expect(prom.spec.thanos.version).toBe('v0.38.0');
  });

  it('an image whose tag is not a version needs an explicit version', () => {
    expect(() => new MetricsStack(newChart(), 'Metrics', { region: 'us-east-1', image: 'registry.example.com/prometheus:custom-build' }))
      .toThrow(/'version'.*explicit version like v3\.5\.0.*custom-build/);
    const chart = newChart();
    new MetricsStack(chart, 'Metrics', { region: 'us-east-1', image: 'registry.example.com/prometheus:custom-build', version: '3.5.0' });
    expect(synth(chart).find((o) => o.kind === 'Prometheus')!.spec.version).toBe('v3.5.0');
  });

  it('Alertmanager takes the explicit version when the tag is not one', () => {
    const chart = newChart();
    new IncidentRouting(chart, 'Routing', {
      image: 'registry.example.com/alertmanager:fips', alertmanagerVersion: '0.27.0', receivers: [Receiver.none('oncall')],
      classes: { critical: { responseTime: '5m', receiver: 'oncall' }, high: { responseTime: '15m', receiver: 'oncall' }, medium: { responseTime: '30m', receiver: 'oncall' } },
    });
    expect(synth(chart).find((o) => o.kind === 'Alertmanager')!.spec.version).toBe('v0.27.0');
  });
});

describe('controllers do not share a field', () => {
  it('refuses a JetStream version the controller would reject', () => {
    const chart = newChart();
    const metrics = new MetricsStack(chart, 'Metrics', { region: 'us-east-1' });
    const serving = modelServing(chart);
    expect(() => new IncidentResponse(chart, 'Response', { metrics, rules: seedAutomationRules(WorkloadTarget.fromWorkload(serving)), eventBus: { version: '2.10.17' } }))
      .toThrow(/'eventBus\.version'.*v1\.9\.10.*got '2\.10\.17'/);
  });
});
