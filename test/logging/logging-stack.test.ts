import { parse } from 'yaml';
import { MetricsStack } from '../../lib/metrics/index.js';
import {
  GeoIpDatabase, LogAgent, LoggingStack, LoggingStackProps, LogParser, LokiMode, LokiStorage, S3Credentials,
} from '../../lib/logging/index.js';
import { all, find, Manifest, newChart, synth } from '../support/synth.js';
import { describeWithTool, promtoolCheckRules } from '../support/tools.js';

const s3 = (region = 'us-east-1') => LokiStorage.s3({
  bucket: `ai-logs-${region}`,
  region,
  credentials: S3Credentials.serviceAccountRole('arn:aws:iam::123456789012:role/loki'),
});

function build(props: Partial<LoggingStackProps> = {}) {
  const chart = newChart();
  const metrics = new MetricsStack(chart, 'Metrics', { region: 'us-east-1', cluster: 'ai-us-east-1' });
  const logging = new LoggingStack(chart, 'Logging', {
    metrics,
    storage: s3(),
    storageBudget: '500GB',
    alertmanagerUrl: 'http://alertmanager-ai-monitoring.ai-monitoring.svc:9093',
    ...props,
  });
  const objects = synth(chart);
  const lokiConfig = parse(find(objects, 'ConfigMap', 'loki').data['loki.yaml']);
  return { chart, logging, objects, lokiConfig };
}

/** The stack's own objects (not the MetricsStack's), so other areas' changes leave the snapshots alone. */
const AGENT_OBJECTS = ['alloy-logs', 'promtail', 'alloy-logs-monitoring-agents', 'promtail-monitoring-agents'];
const logging = (objects: Manifest[]) => objects.filter((o) => o.metadata?.namespace === 'logging'
  || (o.kind === 'Namespace' && o.metadata.name === 'logging') || AGENT_OBJECTS.includes(o.metadata?.name));

describe('LoggingStack, seed values (distributed Loki, Alloy)', () => {
  const { logging: stack, objects, lokiConfig } = build();

  it('applies the seed limits: retention 30d, 10MB/s with a burst, sane chunks', () => {
    expect(lokiConfig.limits_config).toMatchObject({
      retention_period: '720h',
      ingestion_rate_mb: 10,
      ingestion_burst_size_mb: 20,
      ingestion_rate_strategy: 'global',
    });
    expect(lokiConfig.compactor).toMatchObject({ retention_enabled: true, delete_request_store: 's3' });
    expect(lokiConfig.ingester).toMatchObject({ chunk_target_size: 1572864, chunk_idle_period: '30m', max_chunk_age: '2h', wal: { enabled: true, dir: '/var/loki/wal' } });
    expect(lokiConfig.schema_config.configs).toEqual([
      { from: '2024-04-01', store: 'tsdb', object_store: 's3', schema: 'v13', index: { prefix: 'loki_index_', period: '24h' } },
    ]);
    expect(lokiConfig.common.storage.s3).toMatchObject({ bucketnames: 'ai-logs-us-east-1', region: 'us-east-1' });
    expect(stack.objectExpirationDays).toBe(31);
  });

  it('runs every microservice, with replicas 2 and persistence', () => {
    for (const c of ['distributor', 'querier', 'query-frontend', 'query-scheduler', 'index-gateway', 'ruler']) {
      const d = find(objects, 'Deployment', `loki-${c}`);
      expect(d.spec.replicas).toBe(2);
      expect(d.spec.template.spec.containers[0].args).toContain(`-target=${c}`);
      expect(find(objects, 'PodDisruptionBudget', `loki-${c}`).spec.maxUnavailable).toBe(1);
    }
    const ingester = find(objects, 'StatefulSet', 'loki-ingester');
    // At least 3 ingesters for replication factor 3 (README seed table: the seed's 2 would block writes with one down).
    expect(ingester.spec.replicas).toBe(3);
    expect(ingester.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('50Gi');
    expect(lokiConfig.common.replication_factor).toBeLessThanOrEqual(ingester.spec.replicas);
    const compactor = find(objects, 'StatefulSet', 'loki-compactor');
    expect(compactor.spec.replicas).toBe(1);
    expect(lokiConfig.frontend.scheduler_address).toBe('loki-query-scheduler.logging.svc.cluster.local:9095');
    expect(lokiConfig.frontend_worker.scheduler_address).toBe(lokiConfig.frontend.scheduler_address);
    expect(lokiConfig.index_gateway).toEqual({ mode: 'simple' });
    expect(lokiConfig.storage_config.tsdb_shipper.index_gateway_client.server_address).toBe('dns+loki-index-gateway.logging.svc.cluster.local:9095');
  });

  it('forms the memberlist ring through a headless Service', () => {
    const svc = find(objects, 'Service', 'loki-memberlist');
    expect(svc.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true, selector: { 'app.kubernetes.io/instance': 'loki' } });
    expect(lokiConfig.memberlist.join_members).toEqual(['dns+loki-memberlist.logging.svc.cluster.local:7946']);
    for (const kind of ['Deployment', 'StatefulSet']) {
      for (const w of all(objects, kind).filter((o) => o.metadata.namespace === 'logging')) {
        expect(w.spec.template.metadata.labels['app.kubernetes.io/instance']).toBe('loki');
      }
    }
  });

  it('authenticates to S3 through the service accounts (IRSA)', () => {
    const sas = all(objects, 'ServiceAccount').filter((o) => o.metadata.namespace === 'logging');
    expect(sas).toHaveLength(8);
    for (const sa of sas) expect(sa.metadata.annotations['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::123456789012:role/loki');
    expect(JSON.stringify(lokiConfig)).not.toContain('secret_access_key');
  });

  it('allows only the flows between components', () => {
    const ingress = (name: string) => find(objects, 'NetworkPolicy', name).spec.ingress;
    const from = (name: string, port: number) => ingress(name)
      .filter((r: any) => r.ports.some((p: any) => p.port === port))
      .flatMap((r: any) => r.from.map((f: any) => f.podSelector?.matchLabels['app.kubernetes.io/name'] ?? f.podSelector?.matchLabels['app.kubernetes.io/instance']));
    expect(from('loki-ingester', 9095).sort()).toEqual(['loki-distributor', 'loki-querier', 'loki-ruler']);
    expect(from('loki-distributor', 3100)).toContain('alloy-logs');
    expect(from('loki-query-scheduler', 9095).sort()).toEqual(['loki-querier', 'loki-query-frontend']);
    const ruler = find(objects, 'NetworkPolicy', 'loki-ruler').spec.egress;
    expect(ruler).toContainEqual({ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ai-monitoring' } } }], ports: [{ port: 9093, protocol: 'TCP' }] });
    // Only components that use the object store may leave the cluster.
    expect(JSON.stringify(find(objects, 'NetworkPolicy', 'loki-distributor').spec.egress)).not.toContain('0.0.0.0/0');
    expect(JSON.stringify(find(objects, 'NetworkPolicy', 'loki-ingester').spec.egress)).toContain('0.0.0.0/0');
  });

  it('runs the agent in the privileged agent namespace with the seed labels', () => {
    const ds = find(objects, 'DaemonSet', 'alloy-logs');
    expect(ds.metadata.namespace).toBe('monitoring-agents');
    const pod = ds.spec.template.spec;
    expect(pod.containers[0].volumeMounts.filter((m: any) => m.name === 'varlog' || m.name === 'machine-id').every((m: any) => m.readOnly)).toBe(true);
    expect(pod.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    const config: string = find(objects, 'ConfigMap', 'alloy-logs').data['config.alloy'];
    for (const label of ['app', 'namespace', 'container_name', 'pod_name', 'service_name']) {
      expect(config).toContain(`target_label  = "${label}"`);
    }
    expect(config).toContain('loki.source.journal "system"');
    expect(config).toContain('stage.json');
    expect(config).toContain('url = "http://loki-distributor.logging.svc.cluster.local:3100/loki/api/v1/push"');
    const role = find(objects, 'ClusterRole', 'alloy-logs-monitoring-agents');
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] }]);
  });

  it('sends error-log alerts through the Loki ruler to the Alertmanager', () => {
    expect(lokiConfig.ruler).toMatchObject({ alertmanager_url: 'http://alertmanager-ai-monitoring.ai-monitoring.svc:9093', storage: { type: 'local', local: { directory: '/etc/loki/rules' } } });
    const rules = parse(find(objects, 'ConfigMap', 'loki-rules').data['rules.yaml']);
    const alerts = rules.groups.flatMap((g: any) => g.rules);
    expect(alerts.map((a: any) => `${a.alert}/${a.labels.severity}/${a.labels.incident_class}`)).toEqual([
      'ErrorLogRateHigh/warning/medium', 'ErrorLogRateHigh/critical/high', 'ErrorLogSpike/warning/medium',
    ]);
    for (const a of alerts) expect(Object.keys(a.annotations)).toEqual(['summary', 'description', 'runbook_url']);
    const ruler = find(objects, 'Deployment', 'loki-ruler').spec.template.spec;
    expect(ruler.containers[0].volumeMounts).toContainEqual({ name: 'rules', mountPath: '/etc/loki/rules/fake', readOnly: true });
  });

  it('watches the pipeline from Prometheus (rate limits, storage budget)', () => {
    const rule = find(objects, 'PrometheusRule', 'logging');
    const exprs = rule.spec.groups[0].rules.map((r: any) => r.expr);
    expect(exprs).toContain('sum(rate(loki_ingester_chunk_stored_bytes_total[1d])) * 2592000 > 536870912000');
    expect(find(objects, 'ServiceMonitor', 'loki').metadata.labels['app.kubernetes.io/part-of']).toBe('ai-monitoring');
    expect(find(objects, 'PodMonitor', 'alloy-logs')).toBeDefined();
  });

  it('matches the snapshot', () => {
    expect(logging(objects)).toMatchSnapshot();
  });
});

describe('LoggingStack, single binary with Promtail', () => {
  const { objects, lokiConfig } = build({
    mode: LokiMode.singleBinary(),
    storage: undefined,
    agent: LogAgent.promtail(),
    alertmanagerUrl: undefined,
    labels: ['app', 'namespace', 'container_name', 'pod_name', 'node_name'],
  });

  it('runs one StatefulSet with -target=all on a local volume', () => {
    const sts = find(objects, 'StatefulSet', 'loki');
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.template.spec.containers[0].args).toContain('-target=all');
    expect(lokiConfig.common.ring.kvstore.store).toBe('inmemory');
    expect(lokiConfig.schema_config.configs[0].object_store).toBe('filesystem');
    expect(lokiConfig.memberlist).toBeUndefined();
    expect(all(objects, 'Deployment').filter((d) => d.metadata.namespace === 'logging')).toHaveLength(0);
    expect(() => find(objects, 'Service', 'loki-memberlist')).toThrow();
  });

  it('configures Promtail with the same sources and labels', () => {
    const config = parse(find(objects, 'ConfigMap', 'promtail').data['promtail.yaml']);
    expect(config.clients).toEqual([{ url: 'http://loki.logging.svc.cluster.local:3100/loki/api/v1/push', external_labels: { cluster: 'ai-us-east-1', region: 'us-east-1' } }]);
    const jobs = config.scrape_configs.map((s: any) => s.job_name);
    expect(jobs).toEqual(['kubernetes-pods', 'system-journal', 'system-syslog']);
    const targets = config.scrape_configs[0].relabel_configs.map((r: any) => r.target_label);
    expect(targets).toEqual(expect.arrayContaining(['__host__', 'app', 'namespace', 'container_name', 'pod_name', 'node_name', '__path__']));
    expect(config.scrape_configs[0].kubernetes_sd_configs).toEqual([{ role: 'pod' }]);
    expect(config.scrape_configs[1].journal).toMatchObject({ path: '/var/log/journal' });
    expect(find(objects, 'DaemonSet', 'promtail').spec.template.spec.containers[0].env[0].name).toBe('HOSTNAME');
  });

  it('matches the snapshot', () => {
    expect(logging(objects)).toMatchSnapshot();
  });
});

describe('LoggingStack parsing and enrichment', () => {
  const geoip = GeoIpDatabase.fromVolume({ volume: { name: 'maxmind', persistentVolumeClaim: { claimName: 'geoip', readOnly: true } } });
  const parsers = [
    LogParser.json({ fields: { level: 'level', client_ip: 'request.remote_ip' }, geoip: { sourceField: 'client_ip' } }),
    LogParser.syslog(),
    LogParser.regex({ name: 'nginx', selector: '{app="ingress-nginx"}', expression: '^(?P<client_ip>\\S+) \\S+ \\S+ \\[[^\\]]+\\] "(?P<method>\\w+) [^"]*" (?P<status>\\d{3})', labels: ['method'] }),
  ];

  it('renders the GeoIP stage from the mounted database (Alloy)', () => {
    const { objects } = build({ parsers, geoipDatabase: geoip });
    const config: string = find(objects, 'ConfigMap', 'alloy-logs').data['config.alloy'];
    expect(config).toContain('stage.geoip {\n      source  = "client_ip"\n      db      = "/etc/geoip/GeoLite2-City.mmdb"\n      db_type = "city"\n    }');
    expect(config).toContain('geoip_country_code = ""');
    expect(config).toContain('selector      = "{app=\\"ingress-nginx\\"}"');
    const pod = find(objects, 'DaemonSet', 'alloy-logs').spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'geoip', persistentVolumeClaim: { claimName: 'geoip', readOnly: true } });
  });

  it('renders the GeoIP stage and drops city-level labels (Promtail)', () => {
    const { objects } = build({ parsers, geoipDatabase: geoip, agent: LogAgent.promtail() });
    const config = parse(find(objects, 'ConfigMap', 'promtail').data['promtail.yaml']);
    const json = config.scrape_configs[0].pipeline_stages.find((s: any) => s.match?.pipeline_name === 'parser_json');
    expect(json.match.stages).toEqual([
      { json: { expressions: { level: 'level', client_ip: 'request.remote_ip' } } },
      { labels: { level: null } },
      { geoip: { db: '/etc/geoip/GeoLite2-City.mmdb', source: 'client_ip', db_type: 'city' } },
      { labeldrop: expect.arrayContaining(['geoip_city_name', 'geoip_location_latitude']) },
    ]);
    const nginx = config.scrape_configs[0].pipeline_stages.find((s: any) => s.match?.pipeline_name === 'parser_nginx');
    expect(nginx.match.stages[1]).toEqual({ labels: { method: null } });
  });
});

describe('LoggingStack bad input', () => {
  const geoipParser = LogParser.json({ fields: { ip: 'ip' }, geoip: { sourceField: 'ip' } });
  it.each<[string, () => unknown, string]>([
    ['replication factor above the ingester count', () => LokiMode.distributed({ replicas: 2, ingesterReplicas: 2, replicationFactor: 3 }),
      "'mode.replicationFactor' must be at most the ingester replica count (2), got 3"],
    ['retention below 24h', () => build({ retention: '12h' }), "'retention' must be at least 24h (Loki's index period), got '12h'"],
    ['a lookaround in a custom parser', () => LogParser.regex({ name: 'app', expression: '^(?P<level>\\w+)(?=:)' }),
      "'parsers.app.expression' must be an RE2 (Go) regular expression (error parsing regexp: invalid or unsupported Perl syntax: `(?=`)"],
    ['a backreference in a custom parser', () => LogParser.regex({ name: 'app', expression: '^(?P<q>["\'])\\w+\\1' }),
      "'parsers.app.expression' must be an RE2 (Go) regular expression (error parsing regexp: invalid escape sequence: `\\1`)"],
    ['an invalid regex in a custom parser', () => LogParser.regex({ name: 'app', expression: '^(?P<level>\\w+' }),
      "'parsers.app.expression' must be an RE2 (Go) regular expression (error parsing regexp: missing closing )"],
    ['a regex without named groups', () => LogParser.regex({ name: 'app', expression: '^\\w+$' }),
      "'parsers.app.expression' must be an RE2 expression with at least one named group"],
    ['a GeoIP stage without a database', () => build({ parsers: [geoipParser] }),
      "'geoipDatabase' must be a GeoIpDatabase (GeoIpDatabase.fromVolume: a hostPath, image volume or ReadOnlyMany PVC holding the .mmdb file), because parser 'json' enriches with GeoIP, got nothing"],
    ['an unknown label name', () => build({ labels: ['app', 'namespace', 'pod'] }),
      "'labels[2]' must be one of app, namespace, container_name, pod_name, node_name, service_name, workload, got 'pod'"],
    ['a label the parser does not extract', () => LogParser.json({ labels: ['status'] }),
      "'parsers.json.labels[0]' must be a field the parser extracts (level, trace_id, request_id), got 'status'"],
    ['the seed chunk_size of 512MB', () => build({ chunkTargetSize: '512MB' }),
      "'chunkTargetSize' must be a compressed chunk size between 256KB and 8MB"],
    ['a burst below the rate', () => build({ ingestionRate: '10MB', ingestionBurst: '5MB' }),
      "'ingestionBurst' must be at least the ingestion rate (10MB), got '5MB'"],
    ['distributed Loki on a filesystem', () => build({ storage: LokiStorage.filesystem() }),
      "'storage' must be an object store (LokiStorage.s3) when Loki runs more than one pod, got 'filesystem'"],
    ['distributed Loki without storage', () => build({ storage: undefined }), "'storage' must be LokiStorage.s3(...)"],
    ['a country database with Promtail', () => build({
      agent: LogAgent.promtail(), parsers: [geoipParser],
      geoipDatabase: GeoIpDatabase.fromVolume({ volume: { name: 'x', emptyDir: {} }, file: 'GeoLite2-Country.mmdb', type: 'country' }),
    }), "'geoipDatabase.type' must be 'city' or 'asn'"],
    ['a bad stream selector', () => LogParser.json({ selector: 'namespace="ai"' }), "'parsers.json.selector' must be a LogQL stream selector"],
    ['an invalid IAM role', () => S3Credentials.serviceAccountRole('loki'), "'credentials.roleArn' must be an IAM role ARN"],
    ['an invalid bucket', () => LokiStorage.s3({ bucket: 'Logs_Bucket', region: 'us-east-1', credentials: S3Credentials.secret({ secretName: 'loki-s3' }) }),
      "'storage.bucket' must be an S3 bucket name"],
    ['a lookaround in the error-log pattern', () => build({ errorLogAlerts: { pattern: 'error(?!: retrying)' } }),
      "'errorLogAlerts.pattern' must be an RE2 (Go) regular expression (error parsing regexp: invalid or unsupported Perl syntax: `(?!`)"],
    ['an unpinned agent image', () => LogAgent.alloy({ image: 'grafana/alloy:latest' }), "'agent.image' must be an image pinned to a version"],
  ])('rejects %s', (_name, fn, message) => {
    expect(fn).toThrow(message);
  });
});

describeWithTool('promtool', 'LoggingStack Prometheus rules', (promtool) => {
  it('pass promtool check rules', () => {
    const { logging: stack } = build();
    const result = promtoolCheckRules(promtool, stack.rules.renderGroups());
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });
});
