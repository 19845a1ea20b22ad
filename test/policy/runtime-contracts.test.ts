// Runtime contracts (issue 14): every container the library renders lets its image's own
// entrypoint run. The expectations are the upstream images' Dockerfiles and entrypoints, written
// down in lib/core/runtime-contracts.ts; this test checks the rendered securityContext, command,
// volumes and ports of every container of the seed platform (both regions) and of non-default
// variants (Promtail, single-binary Loki) against them.
import { SEED_REGIONS, IMAGES, LogAgent, LoggingStack, LokiMode, MetricsStack } from '../../lib/index.js';
import { contractOf, EVENTBUS_CONTRACT, RUNTIME_CONTRACTS } from '../../lib/core/runtime-contracts.js';
import { Manifest, newChart, synth } from '../support/synth.js';
import { seedObjects } from '../support/seed.js';

/** Images of the user's own workloads in the example (not the library's). */
const USER_IMAGES = [/^ghcr\.io\/aeon-nova\/model-server:/];

interface Pod { owner: string; spec: any; claims: string[] }

function pods(objects: Manifest[]): Pod[] {
  const out: Pod[] = [];
  for (const o of objects) {
    const owner = `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
    if (['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(o.kind)) {
      out.push({ owner, spec: o.spec.template.spec, claims: (o.spec.volumeClaimTemplates ?? []).map((c: any) => c.metadata.name) });
    } else if (o.kind === 'CronJob') {
      out.push({ owner, spec: o.spec.jobTemplate.spec.template.spec, claims: [] });
    } else if (o.kind === 'WorkflowTemplate') {
      for (const t of o.spec.templates ?? []) {
        if (t.container) {
          out.push({ owner: `${owner}#${t.name}`, spec: { securityContext: o.spec.securityContext, containers: [t.container], volumes: o.spec.volumes }, claims: [] });
        }
      }
    }
  }
  return out;
}

function under(path: string, mount: string): boolean {
  return path === mount || path.startsWith(`${mount.replace(/\/$/, '')}/`);
}

function checkPod(p: Pod): void {
  const volumes = new Map<string, any>((p.spec.volumes ?? []).map((v: any) => [v.name, v]));
  for (const c of [...(p.spec.initContainers ?? []), ...(p.spec.containers ?? [])]) {
    const id = `${p.owner}:${c.name} (${c.image})`;
    if (USER_IMAGES.some((r) => r.test(c.image))) continue;
    const found = contractOf(c.image, IMAGES);
    expect([id, found ? 'has a contract' : 'no contract']).toEqual([id, 'has a contract']);
    const k = found!.contract;
    // The entrypoint runs, or the library's documented replacement does.
    if (k.command) expect([id, c.command]).toEqual([id, [...k.command.argv]]);
    // Otherwise only workflow steps set a command: their images' entrypoints are the tool itself.
    else if (c.command) expect([id, 'workflow step']).toEqual([id, p.owner.includes('#') ? 'workflow step' : 'not a step']);
    const sc = { ...(p.spec.securityContext ?? {}), ...(c.securityContext ?? {}) };
    const readOnlyRoot = sc.readOnlyRootFilesystem === true;
    if (!readOnlyRoot) expect([id, k.writableRootReason ?? 'read-only root expected']).toEqual([id, expect.stringMatching(/\w{12,}/)]);
    // Each path the program writes is a writable volume: emptyDir, PVC or hostPath.
    for (const path of readOnlyRoot ? k.writes : []) {
      const mount = (c.volumeMounts ?? []).filter((m: any) => under(path, m.mountPath) && !m.readOnly)
        .sort((a: any, b: any) => b.mountPath.length - a.mountPath.length)[0];
      expect([id, path, mount ? 'mounted' : 'not mounted']).toEqual([id, path, 'mounted']);
      const v = volumes.get(mount.name);
      const writable = Boolean(v?.emptyDir || v?.persistentVolumeClaim || v?.hostPath || p.claims.includes(mount.name));
      expect([id, path, writable]).toEqual([id, path, true]);
    }
    const uid = sc.runAsUser ?? k.imageUser;
    if (!k.anyUser) expect([id, uid]).toEqual([id, k.imageUser]);
    for (const port of (c.ports ?? []).map((x: any) => x.containerPort)) expect([id, k.ports]).toEqual([id, expect.arrayContaining([port])]);
  }
}

function checkOperatorCrs(objects: Manifest[]): void {
  for (const o of objects.filter((x) => ['Prometheus', 'Alertmanager'].includes(x.kind))) {
    const k = RUNTIME_CONTRACTS[o.kind === 'Prometheus' ? 'prometheus' : 'alertmanager'];
    const id = `${o.kind}/${o.metadata.name}`;
    expect([id, k.managedBy]).toEqual([id, expect.stringContaining('prometheus-operator')]);
    expect([id, o.spec.securityContext.runAsNonRoot, k.anyUser || o.spec.securityContext.runAsUser === k.imageUser]).toEqual([id, true, true]);
    // The operator mounts the data volume; the CR asks for persistent storage.
    expect([id, Boolean(o.spec.storage?.volumeClaimTemplate)]).toEqual([id, true]);
  }
  for (const bus of objects.filter((x) => x.kind === 'EventBus')) {
    // The controller adds the emptyDirs the server writes; the uid only has to be non-root.
    const sc = bus.spec.jetstream.securityContext;
    expect([EVENTBUS_CONTRACT.anyUser || sc.runAsUser === EVENTBUS_CONTRACT.imageUser, sc.runAsNonRoot]).toEqual([true, true]);
    expect(EVENTBUS_CONTRACT.managedBy).toMatch(/emptyDirs/);
  }
}

describe.each(SEED_REGIONS)('runtime contracts, seed platform %s', (region) => {
  const objects = seedObjects(region);

  it('checks every container the library renders', () => {
    const all = pods(objects);
    expect(all.length).toBeGreaterThan(15);
    all.forEach(checkPod);
    checkOperatorCrs(objects);
  });

  it('runs the dcgm-exporter binary, not the ldconfig entrypoint, on a read-only root', () => {
    const ds = objects.find((o) => o.kind === 'DaemonSet' && o.metadata.name === 'dcgm-exporter')!;
    const c = ds.spec.template.spec.containers[0];
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(c.command).toEqual(['/usr/bin/dcgm-exporter']);
    expect(c.args).toEqual(['-f', '/etc/ai-monitoring/dcgm-counters.csv']);
  });
});

describe('runtime contracts, non-default variants', () => {
  it('holds for Promtail and a single-binary Loki', () => {
    const chart = newChart();
    const metrics = new MetricsStack(chart, 'Metrics', { cluster: 'c', region: 'us-east-1' });
    new LoggingStack(chart, 'Logging', { metrics, agent: LogAgent.promtail(), mode: LokiMode.singleBinary() });
    pods(synth(chart)).forEach(checkPod);
  });
});
