// Security policy over every object the seed example synthesizes (issues 10 and 15), and over
// non-default configurations of it: Pod Security "restricted" except the documented node-agent
// namespace, default-deny plus explicit allows and no rule open to everyone unless its reason is
// written down, no credential anywhere (Secrets, ConfigMaps, CR specs, env values), RBAC without
// wildcards or cluster-admin and without Secrets for kube-state-metrics, requests and memory
// limits, pinned images, and a PDB plus spreading for every workload with more than one replica.
// Pod specs are checked wherever they live: native workloads, Argo WorkflowTemplates' templates,
// Argo Events Sensors and EventSources, and CloudNativePG clusters.
import { parseAllDocuments } from 'yaml';
import { GeoIpDatabase, LogAgent, LokiMode, MonitoringPlatform, MonitoringPlatformProps, Receiver, SEED_REGIONS, seedPlatform } from '../../lib/index.js';
import { modelServingWorkload } from '../../examples/seed-platform/model-serving.js';
import { seedGeoIpDatabase } from '../../examples/seed-platform/region.js';
import { Manifest, newChart, synth } from '../support/synth.js';
import { seedObjects } from '../support/seed.js';

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

interface PodTemplate { owner: string; namespace: string; replicas: number; labels: Record<string, string>; spec: any }

/** Argo Workflows runs each template with a container or script as a pod; the workflow's securityContext applies to all. */
function workflowPods(o: Manifest, owner: string): PodTemplate[] {
  return (o.spec.templates ?? []).filter((t: any) => t.container || t.script).map((t: any) => ({
    owner: `${owner}:${t.name}`,
    namespace: o.metadata.namespace,
    replicas: 1,
    // Argo labels every step pod with the workflow's name (a workflow from this template is named after it).
    labels: { ...o.spec.podMetadata?.labels, 'workflows.argoproj.io/workflow': o.metadata.name },
    spec: { securityContext: t.securityContext ?? o.spec.securityContext, containers: [t.container ?? t.script], initContainers: t.initContainers, volumes: [...(o.spec.volumes ?? []), ...(t.volumes ?? [])], hostNetwork: t.hostNetwork },
  }));
}

/** Pod templates of native workloads and of operator-managed ones (Prometheus, Alertmanager). */
function podTemplates(objects: Manifest[]): PodTemplate[] {
  const out: PodTemplate[] = [];
  for (const o of objects) {
    const owner = `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
    if (o.kind === 'WorkflowTemplate') out.push(...workflowPods(o, owner));
    else if (o.kind === 'Sensor' || o.kind === 'EventSource') {
      // Argo Events: spec.template is the pod (one container, its securityContext and volumes).
      const t = o.spec.template ?? {};
      // The controllers label the pods they create (the conventions platform-connections.ts uses); the image is the controller's.
      const labels = o.kind === 'Sensor' ? { 'sensor-name': o.metadata.name, controller: 'sensor-controller' } : { 'eventsource-name': o.metadata.name, controller: 'eventsource-controller' };
      out.push({ owner, namespace: o.metadata.namespace, replicas: o.spec.replicas ?? 1, labels: { ...t.metadata?.labels, ...labels }, spec: { ...t, containers: [{ name: 'main', ...(t.container ?? {}) }] } });
    } else if (WORKLOAD_KINDS.includes(o.kind)) {
      out.push({ owner, namespace: o.metadata.namespace, replicas: o.kind === 'DaemonSet' ? 1 : o.spec.replicas ?? 1, labels: o.spec.template.metadata.labels, spec: o.spec.template.spec });
    } else if (o.kind === 'CronJob') {
      out.push({ owner, namespace: o.metadata.namespace, replicas: 1, labels: o.spec.jobTemplate.spec.template.metadata?.labels ?? {}, spec: o.spec.jobTemplate.spec.template.spec });
    } else if (o.kind === 'Job') {
      out.push({ owner, namespace: o.metadata.namespace, replicas: 1, labels: o.spec.template.metadata?.labels ?? {}, spec: o.spec.template.spec });
    }
  }
  return out;
}

function containers(spec: any): any[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
}

function matches(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
}

/** Peers that admit every source or destination (Kubernetes reads an empty list as "all"). */
function openPeers(peers: any[] | undefined): boolean {
  if (!peers || peers.length === 0) return true;
  return peers.some((p) => (p.ipBlock && /\/0$/.test(p.ipBlock.cidr)) || (p.namespaceSelector && Object.keys(p.namespaceSelector).length === 0 && !p.podSelector)
    || (!p.ipBlock && !p.namespaceSelector && (!p.podSelector || Object.keys(p.podSelector).length === 0 || Object.keys(p.podSelector.matchLabels ?? {}).length === 0 && !p.podSelector.matchExpressions)));
}

// Credential patterns, written independently of the library's guard (lib/core/credentials.ts).
const CREDENTIAL_KEY = /^(api_key|routing_key|service_key|password|auth_password|auth_token|api_url|bearer_token|bearertoken|credentials|secret_key|access_key|secret_access_key|client_secret|token|apikey|authorization)$/i;
const CREDENTIAL_TEXT: Array<[string, RegExp]> = [
  ['user info in a URL', /[a-z][a-z0-9+.-]*:\/\/[^\s/@:]+:[^\s/@]+@/i],
  ['a credential query parameter', /[?&#](api[_-]?token|auth[_-]?token|access[_-]?token|token|client[_-]?secret|password|secret|api[_-]?key|key|sig|signature|x-amz-signature|x-amz-credential)=[^&\s{]/i],
  ['a Slack webhook', /hooks\.slack\.com\/services\/[A-Z0-9]/i],
  ['a Discord webhook', /discord(app)?\.com\/api\/webhooks\/\d+\/[\w-]+/i],
  ['a Telegram bot token', /api\.telegram\.org\/bot\d+:/i],
  ['a Teams webhook', /webhook\.office\.com\/webhookb2\//i],
  ['a bearer token', /\bBearer[ \t]+[A-Za-z0-9._~+/-]{8,}/],
  ['an AWS access key', /\bAKIA[0-9A-Z]{16}\b/],
  ['a private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['a Slack token', /\bxox[abposr]-[A-Za-z0-9-]{10,}/],
];

/** Every credential-looking value of one object: keys given as strings, and strings matching a credential pattern. */
function credentialsIn(node: unknown, where: string, out: string[]): void {
  if (typeof node === 'string') {
    for (const [what, re] of CREDENTIAL_TEXT) if (re.test(node)) out.push(`${where}: ${what}`);
    // Embedded configuration files (ConfigMap data, Secret stringData, args) are scanned as YAML too.
    if (node.includes('\n') && node.length < 200_000) {
      try {
        for (const doc of parseAllDocuments(node)) if (!doc.errors.length) credentialsIn(doc.toJS(), `${where}>`, out);
      } catch { /* not YAML: scanned as text above */ }
    }
  } else if (Array.isArray(node)) node.forEach((v, i) => credentialsIn(v, `${where}[${i}]`, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      // `${VAR}` is an environment reference (Loki's -config.expand-env), filled from a secretKeyRef.
      if (CREDENTIAL_KEY.test(k) && typeof v === 'string' && v !== '' && !/^\$\{[A-Z_][A-Z0-9_]*\}$/.test(v)) out.push(`${where}.${k}: inline string`);
      credentialsIn(v, `${where}.${k}`, out);
    }
  }
}

/**
 * The seed platform with other choices of the same props, each a wiring path of its own: they
 * must pass the same policy with no exception of their own.
 */
const VARIANTS: Array<[string, (p: MonitoringPlatformProps) => MonitoringPlatformProps, Parameters<typeof seedPlatform>[1]?]> = [
  ['with other receivers (email, Opsgenie, webhook with a bearer token)', (p) => ({ ...p, alerting: { ...p.alerting!, receivers: [
    Receiver.email('immediate', { to: 'oncall@example.com', from: 'alerts@example.com', smarthost: 'smtp.example.com:587', authUsername: 'alerts', authPassword: { name: 'smtp', key: 'password' } }),
    Receiver.opsgenie('tier-2', { apiKey: { name: 'opsgenie', key: 'api-key' } }),
    Receiver.webhook('tier-1', { url: 'https://alerts.example.com/hook', bearerToken: { name: 'hook', key: 'token' } }),
    Receiver.webhook('deadmansswitch', { urlSecret: { name: 'alerting-deadmansswitch', key: 'url' } }),
  ] } })],
  ['with IRSA roles', (p) => p, { thanosRoleArn: 'arn:aws:iam::123456789012:role/thanos', lokiRoleArn: 'arn:aws:iam::123456789012:role/loki' }],
  // Promtail's geoip stage has no country type: this variant reads a City database.
  ['Loki single binary with Promtail', (p) => ({ ...p, logging: { ...p.logging!, mode: LokiMode.singleBinary(), agent: LogAgent.promtail() } }), {
    geoipDatabase: GeoIpDatabase.fromVolume({ volume: { name: 'geoip', hostPath: { path: '/var/lib/geoip', type: 'Directory' } }, file: 'GeoLite2-City.mmdb', type: 'city' }),
  }],
  ['without the Thanos topology', (p) => ({ ...p, topology: undefined })],
];

function variantObjects(change: (p: MonitoringPlatformProps) => MonitoringPlatformProps, options: Parameters<typeof seedPlatform>[1] = {}): Manifest[] {
  const chart = newChart();
  const modelServing = modelServingWorkload(chart);
  new MonitoringPlatform(chart, 'Platform', change(seedPlatform('us-east-1', { modelServing, geoipDatabase: seedGeoIpDatabase(), ...options })));
  return synth(chart);
}

const CONFIGURATIONS: Array<[string, () => Manifest[]]> = [
  ...SEED_REGIONS.map((r) => [`seed platform ${r}`, () => seedObjects(r)] as [string, () => Manifest[]]),
  ...VARIANTS.map(([name, change, options]) => [`seed platform ${name}`, () => variantObjects(change, options)] as [string, () => Manifest[]]),
];

describe.each(CONFIGURATIONS)('security policy, %s', (_name, build) => {
  const objects = build();
  const namespaces = new Map(objects.filter((o) => o.kind === 'Namespace').map((o) => [o.metadata.name, o]));
  const templates = podTemplates(objects);
  const privileged = (ns: string) => namespaces.get(ns)?.metadata.labels['pod-security.kubernetes.io/enforce'] === 'privileged';

  it('synthesizes workloads to check', () => {
    expect(templates.length).toBeGreaterThan(1);
  });

  it('labels every namespace for Pod Security admission; only the node-agent namespace is not restricted, with its reason', () => {
    expect(namespaces.size).toBeGreaterThan(0);
    for (const [name, ns] of namespaces) {
      const level = ns.metadata.labels['pod-security.kubernetes.io/enforce'];
      expect([name, level]).toEqual([name, expect.stringMatching(/^(restricted|privileged)$/)]);
      if (level !== 'restricted') expect(ns.metadata.annotations?.['monitoring.aeon-nova.io/pod-security-reason']).toMatch(/host/);
    }
    // Pods run only in namespaces the platform owns; in the users' namespaces (models, vector
    // stores, training jobs) the library adds monitors and ingress allows, never workloads.
    for (const t of templates) expect([t.owner, namespaces.has(t.namespace)]).toEqual([t.owner, true]);
    const foreignKinds = new Set(objects.filter((o) => o.metadata.namespace && !namespaces.has(o.metadata.namespace)).map((o) => o.kind));
    for (const kind of foreignKinds) expect(['PodMonitor', 'ServiceMonitor', 'NetworkPolicy']).toContain(kind);
  });

  it('runs every pod as restricted, except node agents in the privileged namespace', () => {
    for (const t of templates) {
      const pod = t.spec.securityContext ?? {};
      const hostAccess = t.spec.hostNetwork || t.spec.hostPID || t.spec.hostIPC || (t.spec.volumes ?? []).some((v: any) => v.hostPath);
      if (hostAccess) {
        expect([t.owner, privileged(t.namespace)]).toEqual([t.owner, true]);
      }
      expect([t.owner, pod.seccompProfile?.type]).toEqual([t.owner, 'RuntimeDefault']);
      for (const c of containers(t.spec)) {
        const sc = { ...pod, ...(c.securityContext ?? {}) };
        const id = `${t.owner}:${c.name}`;
        expect([id, sc.allowPrivilegeEscalation]).toEqual([id, false]);
        expect([id, sc.capabilities?.drop]).toEqual([id, ['ALL']]);
        expect([id, sc.privileged ?? false]).toEqual([id, false]);
        if (!privileged(t.namespace)) {
          expect([id, sc.runAsNonRoot]).toEqual([id, true]);
          expect([id, sc.capabilities?.add ?? []]).toEqual([id, []]);
        }
      }
    }
    for (const cr of objects.filter((o) => ['Prometheus', 'Alertmanager', 'ThanosRuler'].includes(o.kind))) {
      expect(cr.spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    }
  });

  it('has a default deny per namespace and an explicit allow for every workload', () => {
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    for (const name of namespaces.keys()) {
      const deny = policies.find((p) => p.metadata.namespace === name && p.metadata.name === 'default-deny');
      expect([name, deny?.spec]).toEqual([name, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }]);
    }
    const allows = policies.filter((p) => Object.keys(p.spec.podSelector?.matchLabels ?? {}).length > 0);
    for (const t of templates) {
      const covered = allows.some((p) => p.metadata.namespace === t.namespace && matches(p.spec.podSelector.matchLabels, t.labels));
      expect([t.owner, covered]).toEqual([t.owner, true]);
    }
  });

  it('inlines no credential', () => {
    const secretish = /(password|passwd|token|secret|api[_-]?key|routing[_-]?key|credential)/i;
    for (const t of templates) {
      for (const c of containers(t.spec)) {
        for (const env of c.env ?? []) {
          if (secretish.test(env.name) && !/_FILE$|_PATH$/.test(env.name)) {
            expect([`${t.owner}:${c.name}:${env.name}`, env.value]).toEqual([`${t.owner}:${c.name}:${env.name}`, undefined]);
          }
        }
      }
    }
    // Config files in Secrets may point at credential files (`*_file`), never hold a credential.
    const credentialKey = /^(api_key|routing_key|service_key|password|auth_password|auth_token|api_url|bearer_token|credentials|secret_key|access_key|secret_access_key|client_secret)$/;
    const inline: string[] = [];
    const walk = (node: unknown, where: string): void => {
      if (Array.isArray(node)) node.forEach((v, i) => walk(v, `${where}[${i}]`));
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (credentialKey.test(k) && typeof v === 'string') inline.push(`${where}.${k}`);
          walk(v, `${where}.${k}`);
        }
      }
    };
    for (const s of objects.filter((o) => o.kind === 'Secret')) {
      for (const [file, text] of Object.entries<string>(s.stringData ?? {})) {
        for (const doc of parseAllDocuments(text)) walk(doc.toJS(), `${s.metadata.name}/${file}`);
      }
      expect([s.metadata.name, Object.keys(s.data ?? {})]).toEqual([s.metadata.name, []]);
    }
    expect(inline).toEqual([]);
  });

  it('holds no credential in any object: ConfigMaps, CR specs, env values and args included', () => {
    const found: string[] = [];
    for (const o of objects) credentialsIn(o, `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, found);
    expect(found).toEqual([]);
    // Credentials reach programs only by reference: every secretKeyRef / Secret volume names a Secret, never a value.
    for (const t of templates) {
      for (const c of containers(t.spec)) {
        for (const env of c.env ?? []) {
          if (/(password|passwd|token|secret|api[_-]?key|credential)/i.test(env.name) && !/_FILE$|_PATH$/.test(env.name)) {
            expect([`${t.owner}:${c.name}:${env.name}`, env.valueFrom?.secretKeyRef?.name ?? env.valueFrom]).toEqual([`${t.owner}:${c.name}:${env.name}`, expect.anything()]);
          }
        }
      }
    }
  });

  it('opens no NetworkPolicy rule to every source or destination unless its reason is written down', () => {
    const undeclared: string[] = [];
    for (const p of objects.filter((o) => o.kind === 'NetworkPolicy')) {
      const reasons = JSON.parse(p.metadata.annotations?.['monitoring.aeon-nova.io/open-rules'] ?? '{}');
      // A policy without a pod selector is the namespace's default deny (no rules) or its DNS allow.
      if (Object.keys(p.spec.podSelector ?? {}).length === 0) {
        expect([p.metadata.name, p.spec.ingress ?? [], (p.spec.egress ?? []).flatMap((e: any) => e.to)]).toEqual([p.metadata.name, [], p.metadata.name === 'allow-dns' ? [expect.objectContaining({ podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } })] : []]);
        continue;
      }
      for (const [dir, side] of [['ingress', 'from'], ['egress', 'to']] as const) {
        (p.spec[dir] ?? []).forEach((rule: any, i: number) => {
          if (openPeers(rule[side]) && !(typeof reasons[`${dir}[${i}]`] === 'string' && reasons[`${dir}[${i}]`].length >= 10)) {
            undeclared.push(`${p.metadata.namespace}/${p.metadata.name} ${dir}[${i}]`);
          }
        });
      }
    }
    expect(undeclared).toEqual([]);
  });

  it('checks the pod specs of Argo WorkflowTemplates, Sensors and EventSources, and CloudNativePG clusters', () => {
    const kinds = new Set(objects.map((o) => o.kind));
    for (const kind of ['WorkflowTemplate', 'Sensor', 'EventSource']) {
      if (kinds.has(kind)) expect([kind, templates.some((t) => t.owner.startsWith(`${kind}/`))]).toEqual([kind, true]);
    }
    for (const c of objects.filter((o) => o.kind === 'Cluster')) {
      // CloudNativePG runs postgres as its own non-root user with these settings; superuser access stays off.
      expect(c.spec.seccompProfile).toEqual({ type: 'RuntimeDefault' });
      expect(c.spec.resources).toMatchObject({ requests: { cpu: expect.any(String), memory: expect.any(String) }, limits: { memory: expect.any(String) } });
      expect(c.spec.imageName).toMatch(/^[^\s:]+:[\w][\w.-]*$/);
      expect(c.spec.enableSuperuserAccess ?? false).toBe(false);
      if (c.spec.instances > 1) expect([c.spec.enablePDB, c.spec.affinity?.enablePodAntiAffinity]).toEqual([true, true]);
    }
  });

  it('lets kube-state-metrics list only what a rule or dashboard reads, never Secrets', () => {
    const ksm = objects.find((o) => o.kind === 'ClusterRole' && o.metadata.name === 'ai-monitoring-kube-state-metrics');
    if (!ksm) return;
    const resources = ksm.rules.flatMap((r: any) => r.resources);
    expect(resources).not.toContain('secrets');
    // kube_<resource>_... metrics read by the synthesized rules and dashboards (ConfigMaps hold the dashboards).
    const text = JSON.stringify(objects.filter((o) => ['PrometheusRule', 'ConfigMap', 'ScaledObject', 'WorkflowTemplate'].includes(o.kind)));
    const read = new Set([...text.matchAll(/\bkube_(pod|node|persistentvolume|deployment|statefulset|daemonset|job|cronjob|namespace|service|secret|configmap|persistentvolumeclaim|replicaset|horizontalpodautoscaler|resourcequota|poddisruptionbudget)(?:_|\b)/g)].map((m) => `${m[1]}s`));
    expect([...read].sort()).toEqual([...resources].sort());
    const args = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'ai-monitoring-kube-state-metrics')!.spec.template.spec.containers[0].args;
    expect(args).toContain(`--resources=${[...resources].join(',')}`);
  });

  it('grants RBAC without wildcards or cluster-admin', () => {
    for (const r of objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role')) {
      expect([r.metadata.name, JSON.stringify(r.rules ?? []).includes('*')]).toEqual([r.metadata.name, false]);
    }
    for (const b of objects.filter((o) => o.kind.endsWith('RoleBinding'))) {
      expect([b.metadata.name, b.roleRef.name]).not.toEqual([b.metadata.name, 'cluster-admin']);
    }
  });

  it('sets requests and a memory limit on every container', () => {
    for (const t of templates) {
      for (const c of containers(t.spec)) {
        const id = `${t.owner}:${c.name}`;
        expect([id, !!c.resources?.requests?.cpu, !!c.resources?.requests?.memory, !!c.resources?.limits?.memory]).toEqual([id, true, true, true]);
      }
    }
    for (const cr of objects.filter((o) => ['Prometheus', 'Alertmanager'].includes(o.kind))) {
      expect(cr.spec.resources).toMatchObject({ requests: { cpu: expect.any(String), memory: expect.any(String) }, limits: { memory: expect.any(String) } });
    }
  });

  it('pins every image to a version', () => {
    const images = [
      ...templates.flatMap((t) => containers(t.spec).filter((c) => !/^(Sensor|EventSource)\//.test(t.owner)).map((c) => c.image)),
      ...objects.filter((o) => o.spec?.image && typeof o.spec.image === 'string').map((o) => o.spec.image),
    ];
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect(image).toMatch(/^[^\s:]+(:[\w][\w.-]*|@sha256:[a-f0-9]{64})$/);
    for (const image of images) expect(image).not.toMatch(/:latest$/);
  });

  it('gives every workload with more than one replica a PDB and spreading', () => {
    const pdbs = objects.filter((o) => o.kind === 'PodDisruptionBudget');
    for (const t of templates.filter((x) => x.replicas > 1)) {
      expect([t.owner, pdbs.some((p) => p.metadata.namespace === t.namespace && matches(p.spec.selector.matchLabels, t.labels))]).toEqual([t.owner, true]);
      expect([t.owner, (t.spec.topologySpreadConstraints ?? []).length > 0 || !!t.spec.affinity?.podAntiAffinity]).toEqual([t.owner, true]);
    }
    for (const cr of objects.filter((o) => ['Prometheus', 'Alertmanager'].includes(o.kind) && o.spec.replicas > 1)) {
      expect(cr.spec.topologySpreadConstraints?.length).toBeGreaterThan(0);
      // The operator labels the pods it creates with the kind's name and the object's name.
      const podLabels = { 'app.kubernetes.io/name': cr.kind.toLowerCase(), 'app.kubernetes.io/instance': cr.metadata.name, ...(cr.spec.podMetadata?.labels ?? {}) };
      expect([cr.kind, pdbs.some((p) => p.metadata.namespace === cr.metadata.namespace && matches(p.spec.selector.matchLabels, podLabels))]).toEqual([cr.kind, true]);
    }
  });
});
