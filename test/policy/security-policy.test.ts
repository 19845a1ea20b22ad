// Security policy over every object the seed example synthesizes (issue 10): Pod Security
// "restricted" except the documented node-agent namespace, default-deny plus explicit allows,
// no inline credentials, RBAC without wildcards or cluster-admin, requests and memory limits,
// pinned images, and a PDB plus spreading for every workload with more than one replica.
import { parseAllDocuments } from 'yaml';
import { SEED_REGIONS } from '../../lib/index.js';
import { Manifest } from '../support/synth.js';
import { seedObjects } from '../support/seed.js';

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

interface PodTemplate { owner: string; namespace: string; replicas: number; labels: Record<string, string>; spec: any }

/** Pod templates of native workloads and of operator-managed ones (Prometheus, Alertmanager). */
function podTemplates(objects: Manifest[]): PodTemplate[] {
  const out: PodTemplate[] = [];
  for (const o of objects) {
    const owner = `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
    if (WORKLOAD_KINDS.includes(o.kind)) {
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

describe.each(SEED_REGIONS)('security policy, seed platform %s', (region) => {
  const objects = seedObjects(region);
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
      ...templates.flatMap((t) => containers(t.spec).map((c) => c.image)),
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
