import { parse } from 'yaml';
import { DashboardSet, Grafana, GrafanaDatabase, GrafanaProps } from '../../lib/dashboards/index.js';
import { NetworkPeer } from '../../lib/core/network.js';
import { all, find, newChart, synth } from '../support/synth.js';

const prometheusPods = { namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'ai-monitoring' } };
const base: GrafanaProps = {
  prometheus: { url: 'http://thanos-query.ai-monitoring.svc:9090' },
  alertmanager: { url: 'http://alertmanager-ai-monitoring.ai-monitoring.svc:9093' },
  loki: { url: 'http://loki-gateway.logging.svc:80' },
  scrapedBy: prometheusPods,
};

function render(props: Partial<GrafanaProps> = {}) {
  const chart = newChart();
  const grafana = new Grafana(chart, 'Grafana', { ...base, ...props });
  new DashboardSet(chart, 'Dashboards', { grafana });
  return { grafana, objects: synth(chart) };
}

const envOf = (deployment: any): Record<string, any> =>
  Object.fromEntries(deployment.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

describe('Grafana (seed 1.1: ha_mode, 2 replicas)', () => {
  const { grafana, objects } = render();
  const deployment = find(objects, 'Deployment', 'ai-monitoring-grafana');
  const pod = deployment.spec.template.spec;
  const env = envOf(deployment);

  it('runs the seed replicas with a PDB and spreading', () => {
    expect(grafana.replicas).toBe(2);
    expect(deployment.spec.replicas).toBe(2);
    expect(find(objects, 'PodDisruptionBudget', 'ai-monitoring-grafana').spec.maxUnavailable).toBe(1);
    expect(pod.topologySpreadConstraints.map((c: any) => c.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
  });

  it('shares a CloudNativePG database, with the password from its generated Secret', () => {
    const cluster = find(objects, 'Cluster', 'ai-monitoring-grafana-db');
    expect(cluster.apiVersion).toBe('postgresql.cnpg.io/v1');
    expect(cluster.spec).toMatchObject({
      instances: 2,
      imageName: 'ghcr.io/cloudnative-pg/postgresql:17.5',
      bootstrap: { initdb: { database: 'grafana', owner: 'grafana' } },
      storage: { size: '10Gi' },
    });
    expect(env).toMatchObject({
      GF_DATABASE_TYPE: 'postgres',
      GF_DATABASE_HOST: 'ai-monitoring-grafana-db-rw.ai-monitoring.svc:5432',
      GF_DATABASE_NAME: 'grafana',
      GF_DATABASE_USER: { secretKeyRef: { name: 'ai-monitoring-grafana-db-app', key: 'username' } },
      GF_DATABASE_PASSWORD: { secretKeyRef: { name: 'ai-monitoring-grafana-db-app', key: 'password' } },
      GF_DATABASE_SSL_MODE: 'require',
    });
  });

  it('gossips unified-alerting state through a headless Service', () => {
    expect(env.POD_IP).toEqual({ fieldRef: { fieldPath: 'status.podIP' } });
    expect(env).toMatchObject({
      GF_UNIFIED_ALERTING_ENABLED: 'true',
      GF_UNIFIED_ALERTING_HA_PEERS: 'ai-monitoring-grafana-headless.ai-monitoring.svc:9094',
      GF_UNIFIED_ALERTING_HA_LISTEN_ADDRESS: '$(POD_IP):9094',
      GF_UNIFIED_ALERTING_HA_ADVERTISE_ADDRESS: '$(POD_IP):9094',
    });
    const headless = find(objects, 'Service', 'ai-monitoring-grafana-headless');
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.publishNotReadyAddresses).toBe(true);
    expect(headless.spec.ports.map((p: any) => `${p.port}/${p.protocol}`)).toEqual(['9094/TCP', '9094/UDP']);
    expect(headless.spec.selector).toEqual(deployment.spec.selector.matchLabels);
  });

  it('takes credentials and the encryption key from a Secret, never inline', () => {
    expect(env.GF_SECURITY_ADMIN_USER).toEqual({ secretKeyRef: { name: 'grafana-admin', key: 'admin-user' } });
    expect(env.GF_SECURITY_ADMIN_PASSWORD).toEqual({ secretKeyRef: { name: 'grafana-admin', key: 'admin-password' } });
    expect(env.GF_SECURITY_SECRET_KEY).toEqual({ secretKeyRef: { name: 'grafana-admin', key: 'secret-key' } });
    expect(all(objects, 'Secret')).toHaveLength(0);
  });

  it('runs restricted with a read-only root filesystem and writable emptyDirs', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 472, fsGroup: 472, seccompProfile: { type: 'RuntimeDefault' } });
    const container = pod.containers[0];
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(container.image).toBe('docker.io/grafana/grafana:12.1.1');
    expect(container.resources.limits.memory).toBe('1Gi');
    const volumes = Object.fromEntries(pod.volumes.map((v: any) => [v.name, v]));
    const mounts = Object.fromEntries(container.volumeMounts.map((m: any) => [m.mountPath, m.name]));
    expect(volumes[mounts['/var/lib/grafana']].emptyDir).toEqual({});
    expect(volumes[mounts['/tmp']].emptyDir).toEqual({});
    expect(env.GF_LOG_MODE).toBe('console');
  });

  it('provisions the three seed datasources from files', () => {
    const file = parse(find(objects, 'ConfigMap', 'ai-monitoring-grafana-datasources').data['datasources.yaml']);
    expect(file.apiVersion).toBe(1);
    expect(file.datasources.map((d: any) => [d.type, d.uid, d.url])).toEqual([
      ['prometheus', 'prometheus', 'http://thanos-query.ai-monitoring.svc:9090'],
      ['alertmanager', 'alertmanager', 'http://alertmanager-ai-monitoring.ai-monitoring.svc:9093'],
      ['loki', 'loki', 'http://loki-gateway.logging.svc:80'],
    ]);
    expect(file.datasources[0]).toMatchObject({ isDefault: true, jsonData: { timeInterval: '15s' } });
    expect(file.datasources[1].jsonData.implementation).toBe('prometheus');
    const mount = pod.containers[0].volumeMounts.find((m: any) => m.name === 'datasources');
    expect(mount.mountPath).toBe('/etc/grafana/provisioning/datasources');
  });

  it('provisions dashboards from ConfigMaps through a file provider', () => {
    const provider = parse(find(objects, 'ConfigMap', 'ai-monitoring-grafana-dashboard-provider').data['dashboards.yaml']).providers[0];
    expect(provider).toMatchObject({ type: 'file', orgId: 1, disableDeletion: true, allowUiUpdates: false });
    const mounts = Object.fromEntries(pod.containers[0].volumeMounts.map((m: any) => [m.name, m.mountPath]));
    expect(mounts['dashboard-provider']).toBe('/etc/grafana/provisioning/dashboards');
    expect(mounts.dashboards).toBe(provider.options.path);
    const sources = pod.volumes.find((v: any) => v.name === 'dashboards').projected.sources.map((s: any) => s.configMap.name);
    const dashboardMaps = all(objects, 'ConfigMap').filter((c) => c.metadata.name.startsWith('ai-monitoring-grafana-dashboard-ai-')).map((c) => c.metadata.name);
    expect(sources).toEqual(dashboardMaps);
    expect(sources).toHaveLength(6);
  });

  it('allows only its own flows', () => {
    const policy = find(objects, 'NetworkPolicy', 'ai-monitoring-grafana');
    const ingress = policy.spec.ingress.map((r: any) => r.ports.map((p: any) => `${p.port}/${p.protocol}`).join(','));
    expect(ingress).toEqual(['3000/TCP', '9094/TCP', '9094/UDP']);
    expect(policy.spec.ingress[0].from[0].podSelector.matchLabels).toEqual(prometheusPods.podLabels);
    const egressPorts = policy.spec.egress.map((r: any) => r.ports.map((p: any) => `${p.port}/${p.protocol}`).join(','));
    expect(egressPorts).toEqual(['9090/TCP', '9093/TCP', '80/TCP', '5432/TCP', '9094/TCP', '9094/UDP']);
    expect(policy.spec.egress[3].to[0].podSelector.matchLabels).toEqual({ 'cnpg.io/cluster': 'ai-monitoring-grafana-db' });
    const db = find(objects, 'NetworkPolicy', 'ai-monitoring-grafana-db');
    expect(db.spec.ingress[0].from[0].podSelector.matchLabels).toEqual(grafana.podLabels);
    expect(db.spec.ingress[1].from[0].namespaceSelector.matchLabels).toEqual({ 'kubernetes.io/metadata.name': 'cnpg-system' });
  });

  it('is scraped by Prometheus through a PodMonitor on its http port', () => {
    const monitor = find(objects, 'PodMonitor', 'ai-monitoring-grafana');
    expect(monitor.spec.selector.matchLabels).toEqual(deployment.spec.template.metadata.labels);
    expect(monitor.spec.podMetricsEndpoints[0].port).toBe('http');
  });

  it('has the same Prometheus scrape the database instances: PodMonitor on `metrics` (9187) and the ingress for it', () => {
    const monitor = find(objects, 'PodMonitor', 'ai-monitoring-grafana-db');
    expect(monitor.metadata.namespace).toBe('ai-monitoring');
    expect(monitor.spec.selector.matchLabels).toEqual({ 'cnpg.io/cluster': 'ai-monitoring-grafana-db' });
    expect(monitor.spec.podMetricsEndpoints).toEqual([expect.objectContaining({ port: 'metrics', path: '/metrics' })]);
    const scrape = find(objects, 'NetworkPolicy', 'ai-monitoring-grafana-db').spec.ingress[2];
    expect(scrape.from[0].podSelector.matchLabels).toEqual(prometheusPods.podLabels);
    expect(scrape.ports).toEqual([{ port: 9187, protocol: 'TCP' }]);
  });

  it('matches the snapshot', () => {
    expect(objects).toMatchSnapshot();
  });
});

describe('Grafana database variants', () => {
  it('leaves an unscraped Grafana\'s database unscraped and closed on 9187', () => {
    const { objects } = render({ scrapedBy: undefined });
    expect(all(objects, 'PodMonitor')).toHaveLength(0);
    const ports = find(objects, 'NetworkPolicy', 'ai-monitoring-grafana-db').spec.ingress.flatMap((r: any) => r.ports.map((p: any) => p.port));
    expect(ports).not.toContain(9187);
  });

  it('lets the database name its own scraper', () => {
    const other = { namespace: 'observability', podLabels: { app: 'prom' } };
    const { objects } = render({ scrapedBy: undefined, database: GrafanaDatabase.cloudNativePg({ scrapedBy: other }) });
    expect(all(objects, 'PodMonitor').map((m) => m.metadata.name)).toEqual(['ai-monitoring-grafana-db']);
    const scrape = find(objects, 'NetworkPolicy', 'ai-monitoring-grafana-db').spec.ingress[2];
    expect(scrape.from[0].podSelector.matchLabels).toEqual(other.podLabels);
    expect(scrape.ports).toEqual([{ port: 9187, protocol: 'TCP' }]);
  });

  it('uses an external PostgreSQL server with a Secret password', () => {
    const { objects } = render({
      database: GrafanaDatabase.external({
        host: 'grafana.abc.us-east-1.rds.amazonaws.com:5432',
        user: 'grafana',
        passwordSecret: { name: 'ai-monitoring-grafana-db', key: 'password' },
        sslMode: 'verify-full',
      }),
    });
    expect(all(objects, 'Cluster')).toHaveLength(0);
    const env = envOf(find(objects, 'Deployment', 'ai-monitoring-grafana'));
    expect(env).toMatchObject({
      GF_DATABASE_HOST: 'grafana.abc.us-east-1.rds.amazonaws.com:5432',
      GF_DATABASE_USER: 'grafana',
      GF_DATABASE_PASSWORD: { secretKeyRef: { name: 'ai-monitoring-grafana-db', key: 'password' } },
      GF_DATABASE_SSL_MODE: 'verify-full',
    });
  });

  it('runs a single replica on SQLite without HA settings', () => {
    const { objects } = render({ replicas: 1, database: GrafanaDatabase.sqlite() });
    const env = envOf(find(objects, 'Deployment', 'ai-monitoring-grafana'));
    expect(env.GF_DATABASE_TYPE).toBe('sqlite3');
    expect(env.GF_UNIFIED_ALERTING_HA_PEERS).toBeUndefined();
    expect(all(objects, 'PodDisruptionBudget')).toHaveLength(0);
    expect(objects.find((o) => o.metadata.name === 'ai-monitoring-grafana-headless')).toBeUndefined();
  });

  it('restricts datasource egress to the given pods and adds UI ingress', () => {
    const chart = newChart();
    const grafana = new Grafana(chart, 'Grafana', {
      prometheus: { url: 'http://prometheus-ai-monitoring.ai-monitoring.svc:9090', pods: prometheusPods },
      ingressFrom: [{ peers: [NetworkPeer.namespace('ingress-nginx')] }],
    });
    grafana.allowEgress({ peers: [NetworkPeer.anywhere('the identity provider is outside the cluster')], ports: [443] });
    const policy = find(synth(chart), 'NetworkPolicy', 'ai-monitoring-grafana');
    expect(policy.spec.egress[0].to[0].podSelector.matchLabels).toEqual(prometheusPods.podLabels);
    expect(policy.spec.ingress[0]).toMatchObject({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ port: 3000 }] });
    expect(policy.spec.egress.at(-1).ports).toEqual([{ port: 443, protocol: 'TCP' }]);
  });
});

describe('Grafana bad input', () => {
  const make = (props: Partial<GrafanaProps>) => () => new Grafana(newChart(), 'G', { ...base, ...props });
  it.each([
    [{ replicas: 2, database: GrafanaDatabase.sqlite() }, "'replicas' must be 1 when 'database' is sqlite: replicas share state only through a shared database"],
    [{ replicas: 0 }, "'replicas' must be an integer between 1 and 100, got 0"],
    [{ prometheus: { url: 'prometheus:9090' } }, "'prometheus.url' must be an http(s) URL"],
    [{ loki: { url: 'not a url' } }, "'loki.url' must be an http(s) URL"],
    [{ rootUrl: 'grafana.example.com' }, "'rootUrl' must be an http(s) URL"],
    [{ adminSecret: { name: 'Grafana_Admin' } }, "'adminSecret.name' must be a Kubernetes name"],
    [{ scrapeInterval: '15 seconds' }, "'scrapeInterval' must be a duration"],
    [{ image: 'grafana/grafana:latest' }, "'image' must be an image pinned to a version"],
  ])('rejects %p', (props, message) => {
    expect(make(props)).toThrow(message);
  });

  it.each([
    [() => GrafanaDatabase.external({ host: 'db.example.com', user: 'g', passwordSecret: { name: 'db', key: 'p' } }), "'database.host' must be a host:port"],
    [() => GrafanaDatabase.external({ host: 'db:5432', user: '', passwordSecret: { name: 'db', key: 'p' } }), "'database.user' must be a database user name"],
    [() => GrafanaDatabase.cloudNativePg({ instances: 0 }), "'database.instances' must be an integer between 1 and 9, got 0"],
    [() => GrafanaDatabase.cloudNativePg({ storage: '10 gigs' }), "'database.storage' must be a size"],
    [() => GrafanaDatabase.cloudNativePg({ image: 'postgres' }), "'database.image' must be an image pinned"],
  ])('rejects database %#', (factory, message) => {
    expect(factory).toThrow(message);
  });
});
