import { KubernetesRules } from '../../lib/index.js';
import { metricNames } from '../../lib/core/promql.js';
import { newChart } from '../support/synth.js';
import { describeWithTool, promtoolCheckRules, promtoolTestRules } from '../support/tools.js';
import { casesByGroup, promtoolTests, uncovered } from '../support/alert-cases.js';
import { KUBERNETES_CASES } from './kubernetes-cases.js';

const rulesOf = (props: ConstructorParameters<typeof KubernetesRules>[2]) => new KubernetesRules(newChart(), 'K', props).renderGroups();
const alertOf = (groups: any[], alert: string, severity = 'warning') => groups.flatMap((g) => g.rules).find((r: any) => r.alert === alert && r.labels.severity === severity);

describe('KubernetesRules', () => {
  const groups = rulesOf({ namespace: 'monitoring' });

  it('has one group per family and a case for every alert and severity', () => {
    expect(groups.map((g: any) => g.name)).toEqual(['kubernetes-workloads', 'kubernetes-storage', 'kubernetes-nodes', 'kubernetes-resources', 'node-exporter', 'kubernetes-control-plane']);
    expect(uncovered(groups, KUBERNETES_CASES)).toEqual([]);
  });

  it('reads only metrics of kube-state-metrics v2.15, the kubelet/cAdvisor, node-exporter v1.9.1 and the API server', () => {
    const records = new Set(groups.flatMap((g: any) => g.rules.filter((r: any) => r.record).map((r: any) => r.record)));
    const names = new Set(groups.flatMap((g: any) => g.rules.flatMap((r: any) => metricNames(r.expr))).filter((n: string) => !records.has(n)));
    const sources = [/^kube_(pod|deployment|statefulset|daemonset|job|horizontalpodautoscaler|poddisruptionbudget|persistentvolume|node|resourcequota)(_|$)/, /^kubelet_/, /^container_cpu_cfs_/, /^node_/, /^apiserver_/, /^up$/];
    expect([...names].filter((n) => !sources.some((s) => s.test(n)))).toEqual([]);
  });

  it('labels every alert with severity, incident_class and a runbook under the base URL', () => {
    for (const r of groups.flatMap((g: any) => g.rules.filter((x: any) => x.alert))) {
      expect(r.labels.incident_class).toEqual(r.labels.severity === 'warning' ? 'medium' : expect.stringMatching(/^(high|critical)$/));
      expect(r.annotations.runbook_url).toMatch(/^https:\/\/runbooks\.ai-monitoring\.dev\/alerts\/[a-z0-9-]+$/);
    }
  });

  it('records the throttled share once (containers over the warning level), before both levels that compare it', () => {
    const resources: any[] = (groups as any[]).find((g) => g.name === 'kubernetes-resources').rules;
    const record = 'namespace_pod_container:container_cpu_cfs_throttled_periods:percent_increase5m_over_warning';
    expect(resources.filter((r: any) => r.record).map((r: any) => r.record)).toEqual([record]);
    expect(resources[0].record).toBe(record);
    expect(resources[0].expr).toMatch(/ \* 100 > 25$/);
    expect(alertOf(groups, 'KubeContainerCpuThrottled', 'warning').expr).toBe(`${record} > 25`);
    expect(alertOf(groups, 'KubeContainerCpuThrottled', 'critical').expr).toBe(`${record} > 50`);
    const off = rulesOf({ namespace: 'monitoring', resources: { disable: ['KubeContainerCpuThrottled'] } });
    expect(off.flatMap((g: any) => g.rules).filter((r: any) => r.record)).toEqual([]);
  });

  it('turns groups and single alerts off, and overrides thresholds, for and namespaces', () => {
    const g = rulesOf({
      namespace: 'monitoring', storage: false, controlPlane: { enabled: false },
      workloads: { namespaces: ['ai-serving', 'ai-training'], excludeNamespaces: ['sandbox'], for: { KubePodPending: '1h' }, disable: ['KubeHpaMaxedOut'], thresholds: { jobMaxRuntimeHours: 240 } },
    });
    expect(g.map((x: any) => x.name)).not.toContain('kubernetes-storage');
    expect(g.map((x: any) => x.name)).not.toContain('kubernetes-control-plane');
    expect(alertOf(g, 'KubeHpaMaxedOut')).toBeUndefined();
    const pending = alertOf(g, 'KubePodPending');
    expect(pending.for).toBe('1h');
    expect(pending.expr).toBe('max by (namespace, pod) (kube_pod_status_phase{phase="Pending",namespace=~"ai-serving|ai-training",namespace!~"sandbox"}) == 1');
    expect(alertOf(g, 'KubeJobNotCompleted').expr).toContain('> 864000');
    // Cluster-scoped alerts ignore the namespace selection.
    expect(alertOf(rulesOf({ namespace: 'monitoring', nodes: { namespaces: ['x'] } }), 'KubeNodeNotReady', 'critical').expr).not.toContain('namespace');
  });

  it('rejects unknown keys and bad values, naming the prop', () => {
    expect(() => rulesOf({ namespace: 'm', workloads: { thresholds: { jobMaxRuntime: 1 } } })).toThrow("'workloads.thresholds.jobMaxRuntime'");
    expect(() => rulesOf({ namespace: 'm', storage: { thresholds: { spaceWarningPercent: -1 } } })).toThrow("'storage.thresholds.spaceWarningPercent'");
    expect(() => rulesOf({ namespace: 'm', nodes: { for: { KubeNodeNotReady: '5 minutes' } } })).toThrow("'nodes.for.KubeNodeNotReady' must be a duration");
    expect(() => rulesOf({ namespace: 'm', nodes: { for: { NoSuchAlert: '5m' } } })).toThrow("'nodes.for.NoSuchAlert'");
    expect(() => rulesOf({ namespace: 'm', resources: { disable: ['NoSuchAlert'] } })).toThrow("'resources.disable'");
    expect(() => rulesOf({ namespace: 'm', workloads: { namespaces: ['Bad_NS'] } })).toThrow("'workloads.namespaces[0]'");
  });
});

describeWithTool('promtool', 'KubernetesRules under promtool', (promtool) => {
  const groups = rulesOf({ namespace: 'monitoring' });

  it('passes promtool check rules', () => {
    const r = promtoolCheckRules(promtool, groups);
    expect([r.status, r.output]).toEqual([0, expect.stringContaining('SUCCESS')]);
  });

  // Input at the 15s scrape interval; rules evaluated every 30s to keep the runs short.
  it.each(casesByGroup(groups, KUBERNETES_CASES).map((x) => [x.group.name, x] as const))('%s: every alert fires for its situation and stays quiet when healthy', (_name, { group, cases }) => {
    const r = promtoolTestRules(promtool, [group], { evaluation_interval: '30s', tests: promtoolTests(cases) });
    expect([r.status, r.output]).toEqual([0, expect.stringContaining('SUCCESS')]);
  });

  // Issue 16's situations: each raises an alert of the right incident class naming the object.
  it.each([
    ['crash-looping pod', 'KubePodCrashLooping', 'medium', 'pod'],
    ['Deployment with no available replicas', 'KubeDeploymentUnavailable', 'critical', 'deployment'],
    ['PersistentVolume at 99%', 'KubePersistentVolumeFillingUp', 'high', 'persistentvolumeclaim'],
    ['NotReady node', 'KubeNodeNotReady', 'high', 'node'],
    ['root filesystem full', 'NodeFilesystemAlmostFull', 'high', 'mountpoint'],
    ['failed Job', 'KubeJobFailed', 'medium', 'job_name'],
    ['pod stuck Pending', 'KubePodPending', 'medium', 'pod'],
    ['image that cannot be pulled', 'KubeContainerImagePullFailing', 'medium', 'container'],
    ['DaemonSet not scheduled', 'KubeDaemonSetNotScheduled', 'medium', 'daemonset'],
    ['container throttled at 60%', 'KubeContainerCpuThrottled', 'high', 'container'],
  ])('%s: %s fires with incident_class %s for the %s', (situation, alert, cls, objectLabel) => {
    const c = KUBERNETES_CASES.find((x) => x.note === situation)!;
    expect(c.alert).toBe(alert);
    const worst = c.expect.find((l) => l.severity === 'critical') ?? c.expect[0];
    expect([worst.incident_class, worst[objectLabel]]).toEqual([cls, expect.any(String)]);
    const [{ group }] = casesByGroup(groups, [c]);
    const r = promtoolTestRules(promtool, [group], { evaluation_interval: '30s', tests: promtoolTests([c]) });
    expect([r.status, r.output]).toEqual([0, expect.stringContaining('SUCCESS')]);
  });
});
