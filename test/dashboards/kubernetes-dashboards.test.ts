import { metricNames } from '../../lib/core/promql.js';
import { DashboardSet, DashboardSetProps, Grafana, PanelQuery } from '../../lib/dashboards/index.js';
import { interpolateGrafanaVariables } from '../../lib/dashboards/queries.js';
import { MonitoringPlatform } from '../../lib/index.js';
import { EXPORTER_METRICS } from './exporter-metrics.js';
import { describeWithTool, promtoolCheckRules, promtoolTestRules } from '../support/tools.js';
import { find, newChart, synth } from '../support/synth.js';

function setup(props: Partial<DashboardSetProps> = {}) {
  const chart = newChart();
  const grafana = new Grafana(chart, 'Grafana', {
    prometheus: { url: 'http://thanos-query.ai-monitoring.svc:9090' },
    loki: { url: 'http://loki-gateway.logging.svc:80' },
    rootUrl: 'https://ai-monitoring-grafana.example.com/',
  });
  const set = new DashboardSet(chart, 'Dashboards', { grafana, kubernetes: true, components: true, ...props });
  return { chart, set };
}

const KUBERNETES = [
  ['k8s-compute-cluster', 'Kubernetes / Compute Resources / Cluster'],
  ['k8s-compute-namespace', 'Kubernetes / Compute Resources / Namespace'],
  ['k8s-compute-workload', 'Kubernetes / Compute Resources / Workload'],
  ['k8s-compute-pod', 'Kubernetes / Compute Resources / Pod'],
  ['k8s-compute-node', 'Kubernetes / Compute Resources / Node'],
  ['k8s-network-cluster', 'Kubernetes / Networking / Cluster'],
  ['k8s-network-namespace', 'Kubernetes / Networking / Namespace'],
  ['k8s-network-workload', 'Kubernetes / Networking / Workload'],
  ['k8s-network-pod', 'Kubernetes / Networking / Pod'],
  ['k8s-persistent-volumes', 'Kubernetes / Persistent Volumes'],
  ['k8s-node-overview', 'Kubernetes / Node Overview'],
  ['k8s-kubelet', 'Kubernetes / Kubelet'],
  ['k8s-apiserver', 'Kubernetes / API Server'],
];
const COMPONENTS = [
  ['platform-prometheus', 'Platform / Prometheus'],
  ['platform-alertmanager', 'Platform / Alertmanager'],
  ['platform-thanos', 'Platform / Thanos'],
  ['platform-loki', 'Platform / Loki'],
  ['platform-grafana', 'Platform / Grafana'],
];

describe('DashboardSet Kubernetes and component dashboards', () => {
  const { chart, set } = setup();
  const objects = synth(chart);
  const json = (uid: string) => JSON.parse(find(objects, 'ConfigMap', `ai-monitoring-grafana-dashboard-${uid}`).data[`${uid}.json`]);
  const added = set.dashboards.slice(6);

  it('adds the families after the seed dashboards, with unique uids and titles', () => {
    expect(added.map((d) => [d.uid, d.title])).toEqual([...KUBERNETES, ...COMPONENTS]);
    expect(new Set(set.dashboards.map((d) => d.uid)).size).toBe(set.dashboards.length);
    expect(new Set(set.dashboards.map((d) => d.title)).size).toBe(set.dashboards.length);
    expect(set.dashboards).toHaveLength(24);
  });

  it('provisions each in its own ConfigMap, mounted into Grafana', () => {
    const sources = find(objects, 'Deployment', 'ai-monitoring-grafana').spec.template.spec.volumes.find((v: any) => v.name === 'dashboards').projected.sources;
    expect(sources.map((s: any) => s.configMap.name)).toEqual(set.dashboards.map((d) => d.configMap));
    for (const [uid, title] of [...KUBERNETES, ...COMPONENTS]) expect(json(uid)).toMatchObject({ uid, title, tags: ['ai-monitoring'] });
  });

  it('gives every panel the datasource variable, a query and a unit', () => {
    for (const d of added) {
      const panels = json(d.uid).panels.filter((p: any) => p.type !== 'row');
      expect([d.uid, panels.length > 0]).toEqual([d.uid, true]);
      for (const p of panels) {
        const where = `${d.uid} / ${p.title}`;
        expect([where, p.datasource]).toEqual([where, { type: 'prometheus', uid: '${datasource}' }]);
        expect([where, p.targets.length > 0 && p.targets.every((t: any) => typeof t.expr === 'string' && t.expr.length > 0)]).toEqual([where, true]);
        // Stats of counts are unitless; every graph says what it draws.
        if (p.type === 'timeseries') expect([where, typeof p.fieldConfig.defaults.unit]).toEqual([where, 'string']);
      }
    }
  });

  it('templates datasource and cluster everywhere, and the object each view is about', () => {
    const variables = (uid: string) => json(uid).templating.list.map((v: any) => v.name);
    for (const d of added) expect(variables(d.uid).slice(0, 2)).toEqual(['datasource', 'cluster']);
    expect(variables('k8s-compute-namespace')).toEqual(['datasource', 'cluster', 'namespace']);
    expect(variables('k8s-compute-workload')).toEqual(['datasource', 'cluster', 'namespace', 'workload']);
    expect(variables('k8s-compute-pod')).toEqual(['datasource', 'cluster', 'namespace', 'pod']);
    expect(variables('k8s-compute-node')).toEqual(['datasource', 'cluster', 'node']);
    expect(variables('k8s-network-pod')).toEqual(['datasource', 'cluster', 'namespace', 'pod']);
    expect(variables('k8s-network-workload')).toEqual(['datasource', 'cluster', 'namespace', 'workload']);
    expect(variables('k8s-persistent-volumes')).toEqual(['datasource', 'cluster', 'namespace', 'persistentvolumeclaim']);
    expect(variables('k8s-kubelet')).toEqual(['datasource', 'cluster', 'instance']);
    expect(variables('platform-prometheus')).toEqual(['datasource', 'cluster', 'job']);
    // One pod per Pod view: a single choice, not a multi-value regex.
    expect(json('k8s-compute-pod').templating.list.find((v: any) => v.name === 'pod')).not.toHaveProperty('multi', true);
  });

  it('reads only metrics of the exporters the platform deploys (names checked upstream)', () => {
    const known = new Set(['up', ...Object.values(EXPORTER_METRICS).flatMap((e) => e.metrics)]);
    const queries = set.queries().filter((q) => added.some((d) => d.uid === q.dashboardUid));
    expect(queries.length).toBeGreaterThan(150);
    const unknown = queries.flatMap((q) => metricNames(interpolateGrafanaVariables(q.expr)).filter((m) => !known.has(m)).map((m) => `${q.dashboardUid} / ${q.panel}: ${m}`));
    expect(unknown).toEqual([]);
  });

  it('draws the throttling and OOM thresholds on the compute panels', () => {
    const panel = (title: string) => json('k8s-compute-pod').panels.find((p: any) => p.title === title);
    expect(panel('CPU throttling').fieldConfig.defaults.thresholds.steps.map((s: any) => s.value)).toEqual([null, 0.25, 0.5]);
    expect(panel('Memory working set / limits').fieldConfig.defaults.unit).toBe('percentunit');
  });
});

describe('DashboardSet family toggles', () => {
  const uids = (props: Partial<DashboardSetProps>) => setup(props).set.dashboards.map((d) => d.uid).filter((u) => !u.startsWith('ai-'));

  it('is off by default and per family on request', () => {
    expect(uids({ kubernetes: undefined, components: undefined })).toEqual([]);
    expect(uids({ kubernetes: false, components: false })).toEqual([]);
    expect(uids({ kubernetes: { compute: false, networking: false, apiServer: false }, components: false }))
      .toEqual(['k8s-persistent-volumes', 'k8s-node-overview', 'k8s-kubelet']);
    expect(uids({ kubernetes: false, components: { thanos: false, loki: false } })).toEqual(['platform-prometheus', 'platform-alertmanager', 'platform-grafana']);
  });

  it.each([
    [{ kubernetes: { gpu: true } as any }, "'kubernetes.gpu' must be one of compute, networking, storage, nodes, kubelet, apiServer, got 'gpu'"],
    [{ kubernetes: { compute: 'yes' } as any }, "'kubernetes.compute' must be true or false, got 'yes'"],
    [{ components: 'all' as any }, "'components' must be true, false or an object of per-family booleans, got 'all'"],
  ])('rejects %j', (props, message) => {
    expect(() => setup(props)).toThrow(message);
  });

  it('turns on, in MonitoringPlatform, only the component dashboards of deployed components', () => {
    const chart = newChart();
    const platform = new MonitoringPlatform(chart, 'Platform', {
      metrics: { region: 'us-east-1', cluster: 'test' }, grafana: {}, dashboards: { components: true },
    });
    expect(platform.dashboards!.dashboards.map((d) => d.uid).filter((u) => u.startsWith('platform-'))).toEqual(['platform-prometheus', 'platform-grafana']);
    const explicit = new MonitoringPlatform(newChart(), 'Platform', {
      metrics: { region: 'us-east-1', cluster: 'test' }, grafana: {}, dashboards: { components: { loki: true, grafana: false } },
    });
    expect(explicit.dashboards!.dashboards.map((d) => d.uid).filter((u) => u.startsWith('platform-'))).toEqual(['platform-prometheus', 'platform-loki']);
  });
});

/** A panel query as Prometheus receives it with the variables set to `values` (and Grafana's globals interpolated). */
function concrete(q: PanelQuery | undefined, values: Record<string, string>): string {
  if (!q) throw new Error('no such panel query');
  return Object.entries(values).reduce((e, [k, v]) => e.split(`$${k}`).join(v), interpolateGrafanaVariables(q.expr));
}

describeWithTool('promtool', 'Kubernetes and component dashboard queries on the deployed Prometheus', (promtool) => {
  const { set } = setup();
  const query = (uid: string, panel: string, i = 0) => set.queries().filter((q) => q.dashboardUid === uid && q.panel === panel)[i];
  const all = { cluster: '.*', namespace: '.+', workload: '.+' };

  it('type-checks every query', () => {
    const rules = set.queries().filter((q) => !q.dashboardUid.startsWith('ai-'))
      .map((q, i) => ({ record: `dashboard:query_${i}:check`, expr: interpolateGrafanaVariables(q.expr) }));
    const result = promtoolCheckRules(promtool, [{ name: 'dashboard-queries', rules }]);
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('credits a ReplicaSet\'s pods to its Deployment and counts only Pending/Running pods\' requests', () => {
    const pod = (name: string, extra: string) => `{cluster="c1", namespace="shop", pod="${name}"${extra}}`;
    const groups = [{
      name: 'views',
      rules: [
        { record: 'test:workload_cpu', expr: concrete(query('k8s-compute-workload', 'CPU usage'), all) },
        { record: 'test:cpu_requests_commitment', expr: concrete(query('k8s-compute-cluster', 'CPU requests commitment'), all) },
        { record: 'test:node_pod_cpu', expr: concrete(query('k8s-compute-node', 'CPU usage'), { ...all, node: 'n1' }) },
      ],
    }];
    const result = promtoolTestRules(promtool, groups, {
      evaluation_interval: '1m',
      tests: [{
        interval: '1m',
        input_series: [
          { series: `container_cpu_usage_seconds_total${pod('web-7d9-abc', ', container="app"')}`, values: '0+30x40' },
          { series: `container_cpu_usage_seconds_total${pod('db-0', ', container="pg"')}`, values: '0+15x40' },
          { series: `kube_pod_owner${pod('web-7d9-abc', ', owner_kind="ReplicaSet", owner_name="web-7d9", owner_is_controller="true"')}`, values: '1x40' },
          { series: `kube_pod_owner${pod('db-0', ', owner_kind="StatefulSet", owner_name="db", owner_is_controller="true"')}`, values: '1x40' },
          { series: 'kube_replicaset_owner{cluster="c1", namespace="shop", replicaset="web-7d9", owner_kind="Deployment", owner_name="web", owner_is_controller="true"}', values: '1x40' },
          { series: `kube_pod_info${pod('web-7d9-abc', ', node="n1"')}`, values: '1x40' },
          { series: `kube_pod_info${pod('db-0', ', node="n2"')}`, values: '1x40' },
          { series: `kube_pod_container_resource_requests${pod('web-7d9-abc', ', container="app", resource="cpu", unit="core"')}`, values: '2x40' },
          { series: `kube_pod_container_resource_requests${pod('batch-1', ', container="job", resource="cpu", unit="core"')}`, values: '4x40' },
          { series: `kube_pod_status_phase${pod('web-7d9-abc', ', phase="Running"')}`, values: '1x40' },
          { series: `kube_pod_status_phase${pod('batch-1', ', phase="Running"')}`, values: '0x40' },
          { series: `kube_pod_status_phase${pod('batch-1', ', phase="Succeeded"')}`, values: '1x40' },
          { series: 'kube_node_status_allocatable{cluster="c1", node="n1", resource="cpu", unit="core"}', values: '8x40' },
        ],
        promql_expr_test: [
          {
            expr: 'test:workload_cpu', eval_time: '30m',
            exp_samples: [
              { labels: 'test:workload_cpu{namespace="shop", workload="web", workload_type="Deployment"}', value: 0.5 },
              { labels: 'test:workload_cpu{namespace="shop", workload="db", workload_type="StatefulSet"}', value: 0.25 },
            ],
          },
          // 2 cores of the running pod / 8 allocatable: the finished Job's 4 cores are not held.
          { expr: 'test:cpu_requests_commitment', eval_time: '30m', exp_samples: [{ labels: 'test:cpu_requests_commitment', value: 0.25 }] },
          { expr: 'test:node_pod_cpu', eval_time: '30m', exp_samples: [{ labels: 'test:node_pod_cpu{node="n1", namespace="shop", pod="web-7d9-abc"}', value: 0.5 }] },
        ],
      }],
    });
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('counts the Alertmanager configurations in use per cluster, not across regions', () => {
    const groups = [{ name: 'am', rules: [{ record: 'test:configs', expr: concrete(query('platform-alertmanager', 'Configurations in use'), { cluster: '.*', job: '.+' }) }] }];
    const am = (cluster: string, pod: string) => `alertmanager_config_hash{cluster="${cluster}", job="alertmanager-ai-monitoring", pod="${pod}"}`;
    const result = promtoolTestRules(promtool, groups, {
      evaluation_interval: '1m',
      tests: [{
        interval: '1m',
        // us agrees on one hash, eu on another: one configuration per cluster. Then eu-1 reloads a new one.
        input_series: [
          { series: am('us', 'alertmanager-ai-monitoring-0'), values: '111x20' },
          { series: am('us', 'alertmanager-ai-monitoring-1'), values: '111x20' },
          { series: am('eu', 'alertmanager-ai-monitoring-0'), values: '222x20' },
          { series: am('eu', 'alertmanager-ai-monitoring-1'), values: '222x9 333x10' },
        ],
        promql_expr_test: [
          { expr: 'test:configs', eval_time: '5m', exp_samples: [{ labels: 'test:configs', value: 1 }] },
          { expr: 'test:configs', eval_time: '15m', exp_samples: [{ labels: 'test:configs', value: 2 }] },
        ],
      }],
    });
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('measures remote write lag per remote', () => {
    const groups = [{ name: 'lag', rules: [{ record: 'test:lag', expr: concrete(query('platform-prometheus', 'Remote write lag'), { cluster: '.*', job: '.+' }) }] }];
    const result = promtoolTestRules(promtool, groups, {
      evaluation_interval: '1m',
      tests: [{
        interval: '1m',
        input_series: [
          { series: 'prometheus_remote_storage_highest_timestamp_in_seconds{job="prometheus-ai-monitoring", pod="prometheus-ai-monitoring-0"}', values: '1000+60x20' },
          { series: 'prometheus_remote_storage_queue_highest_sent_timestamp_seconds{job="prometheus-ai-monitoring", pod="prometheus-ai-monitoring-0", remote_name="replica", url="https://r"}', values: '700+60x20' },
        ],
        promql_expr_test: [{ expr: 'test:lag', eval_time: '10m', exp_samples: [{ labels: 'test:lag{pod="prometheus-ai-monitoring-0", remote_name="replica"}', value: 300 }] }],
      }],
    });
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });
});
