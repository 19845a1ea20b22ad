/**
 * A fake fleet for the seed rules at runtime: the scrape targets a seed region's Prometheus
 * would see, each with the target labels its ServiceMonitor/PodMonitor gives it (job, instance,
 * namespace, pod, node, model_server, vector_store...), and a Prometheus text exposition that
 * changes over time (counters grow, gauges move). Metric names and exposition labels are those of
 * test/dashboards/exporter-metrics.ts, lib/ai (vector-store.ts, model-server presets) and the
 * upstream exporters; every aggregated label has 2+ values and the join labels (node, namespace,
 * pod, model) line up across exporters the way they do in a cluster.
 */
import type * as http from 'node:http';
import { listen } from '../support/processes.js';

type Labels = Record<string, string>;

/** One scrape target: what its monitor stamps on it and what it exposes at time `t` (seconds). */
export interface FakeTarget {
  readonly job: string;
  /** Keep the exposition's own job/namespace/pod labels (the monitor's `honorLabels`). */
  readonly honorLabels?: boolean;
  readonly labels: Labels;
  /** The seed ServiceMonitor/PodMonitor scraping it: its `labeldrop` relabelings apply to `labels`. */
  readonly monitor?: string;
  readonly expose: (m: Exposition, t: number) => void;
}

/**
 * A fake target's labels after the `labeldrop` relabelings of the seed monitor (one of
 * `monitors`, the region's ServiceMonitors and PodMonitors) that scrapes it.
 */
export function targetLabels(t: FakeTarget, monitors: Array<Record<string, any>>): Labels {
  const monitor = t.monitor === undefined ? undefined : monitors.find((o) => o.metadata.name === t.monitor);
  if (t.monitor && !monitor) throw new Error(`no seed monitor named ${t.monitor}`);
  const drops = (monitor?.spec.podMetricsEndpoints ?? monitor?.spec.endpoints ?? []).flatMap((e: any) => e.relabelings ?? [])
    .filter((r: any) => r.action === 'labeldrop').map((r: any) => new RegExp(`^(?:${r.regex})$`));
  return Object.fromEntries(Object.entries(t.labels).filter(([k]) => !drops.some((d: RegExp) => d.test(k))));
}

/** Builds one exposition, metric families kept together as the text format requires. */
export class Exposition {
  private readonly families = new Map<string, { type: string; lines: string[] }>();

  private add(family: string, type: string, name: string, labels: Labels, value: number): void {
    if (!this.families.has(family)) this.families.set(family, { type, lines: [] });
    const l = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',');
    this.families.get(family)!.lines.push(`${name}${l ? `{${l}}` : ''} ${Number.isFinite(value) ? value : 'NaN'}`);
  }

  gauge(name: string, labels: Labels, value: number): this { this.add(name, 'gauge', name, labels, value); return this; }

  counter(name: string, labels: Labels, value: number): this { this.add(name, 'counter', name, labels, value); return this; }

  /** A histogram whose observations (`count` so far) fall in `bounds` with cumulative `fractions`. */
  histogram(name: string, labels: Labels, count: number, meanSeconds: number, bounds: number[], fractions: number[]): this {
    bounds.forEach((le, i) => this.add(name, 'histogram', `${name}_bucket`, { ...labels, le: String(le) }, Math.floor(count * fractions[i])));
    this.add(name, 'histogram', `${name}_bucket`, { ...labels, le: '+Inf' }, Math.floor(count));
    this.add(name, 'histogram', `${name}_sum`, labels, count * meanSeconds);
    this.add(name, 'histogram', `${name}_count`, labels, Math.floor(count));
    return this;
  }

  toString(): string {
    return [...this.families].map(([name, f]) => `# TYPE ${name} ${f.type}\n${f.lines.join('\n')}\n`).join('');
  }
}

/** A gauge that moves a little around `base` (so stddev/deriv based rules see variation). */
const wobble = (base: number, t: number, phase = 0) => base * (1 + 0.05 * Math.sin(t / 3 + phase));

/**
 * The size of a fake fleet. The default (`TEST_FLEET`) is the small fleet of the runtime test;
 * bench/rules-eval.ts builds a production-shaped one (1,000 services, 200 nodes...).
 */
export interface FleetShape {
  /** Nodes, each with node-exporter, a kubelet (cAdvisor) and dcgm-exporter. */
  readonly nodes: number;
  readonly gpusPerNode: number;
  /** Model services (one PodMonitor `job` each, the seed's model server profile) and pods per service. */
  readonly services: number;
  readonly podsPerService: number;
  /** Training jobs, each with two workers of two GPUs and a run pushed to the Pushgateway. */
  readonly trainingJobs: number;
  /** Upper bounds of the latency histograms' finite buckets (+Inf is added). */
  readonly latencyBounds: number[];
}

export const TEST_FLEET: FleetShape = {
  nodes: 2, gpusPerNode: 4, services: 1, podsPerService: 2, trainingJobs: 1,
  latencyBounds: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
};

const SERVING_NS = 'ai-serving';
const TEST_FRACTIONS = [0.02, 0.08, 0.3, 0.6, 0.93, 0.98, 0.995, 0.999, 1];
const INDEXES = ['products', 'documents'];
interface FakeContainer { name: string; memoryLimit: number; workingSet: number; gpus: number }
interface FakePod { namespace: string; pod: string; node: string; pvc: string; containers: FakeContainer[] }
/** A model-serving pod: the PodMonitor `job` of its service and the models it serves. */
interface ServingPod { job: string; pod: string; node: string; ip: string; models: string[]; rps: number; errorRatio: number }
interface FakeGpu { user: Labels; busy: number; temperature: number }
const app = (name: string, gpus = 0): FakeContainer => ({ name, memoryLimit: 16e9, workingSet: 8e9, gpus });

/** Cumulative fractions of observations per bucket: most requests between 25 and 100 ms. */
const latencyFractions = (bounds: number[]) => bounds.map((le) => Math.min(1, 1 - 0.98 * Math.exp(-Math.max(0, le - 0.005) / 0.03)));

const nodeName = (shape: FleetShape, i: number) => (shape === TEST_FLEET ? ['ip-10-0-1-11.ec2.internal', 'ip-10-0-2-12.ec2.internal'][i] : `ip-10-${i >> 8}-${i & 255}-11.ec2.internal`);

/**
 * The test fleet: the seed's model-serving pods (the automation rules match
 * `model-serving-<hash>-<id>`), two models each, the second pod failing 6% of its requests.
 */
function servingPods(shape: FleetShape, nodes: string[]): ServingPod[] {
  if (shape === TEST_FLEET) {
    return [
      { job: 'model-serving', pod: 'model-serving-7c9d5b8f4d-x2k9p', node: nodes[0], ip: '10.0.1.21', models: ['llama-3-8b', 'bert-base'], rps: 20, errorRatio: 0.002 },
      { job: 'model-serving', pod: 'model-serving-7c9d5b8f4d-q7m4z', node: nodes[1], ip: '10.0.2.22', models: ['llama-3-8b', 'bert-base'], rps: 30, errorRatio: 0.06 },
    ];
  }
  return Array.from({ length: shape.services * shape.podsPerService }, (_, k) => {
    const s = Math.floor(k / shape.podsPerService);
    return { job: `model-${s}`, pod: `model-${s}-7c9d5b8f4d-${k % shape.podsPerService}x2k9`, node: nodes[k % nodes.length], ip: `10.${1 + (k >> 16)}.${(k >> 8) & 255}.${k & 255}`,
      models: [`model-${s}`], rps: 20 + 5 * (s % 4), errorRatio: s === 1 ? 0.06 : 0.002 };
  });
}

/** Everything the fake targets of one fleet report on, derived once from its shape. */
export class Fleet {
  readonly nodes: string[];
  readonly serving: ServingPod[];
  /** Pods (kube-state-metrics, cAdvisor and OpenCost all report these). */
  readonly pods: FakePod[];
  readonly podsByNode = new Map<string, FakePod[]>();
  readonly gpusByNode = new Map<string, FakeGpu[]>();
  readonly trainingRuns: string[];
  readonly latencyFractions: number[];
  readonly batchFractions: number[];

  constructor(readonly shape: FleetShape) {
    const test = shape === TEST_FLEET;
    this.nodes = Array.from({ length: shape.nodes }, (_, i) => nodeName(shape, i));
    this.serving = servingPods(shape, this.nodes);
    this.latencyFractions = test ? TEST_FRACTIONS : latencyFractions(shape.latencyBounds);
    this.batchFractions = test ? [0, 0, 0.01, 0.05, 0.2, 0.6, 0.95, 1, 1] : shape.latencyBounds.map((le) => (le < 0.025 ? 0 : Math.min(1, le / 2)));
    // Serving pods have a sidecar and run near their memory limit ((15 + 0.3) / (16 + 1) = 90%);
    // in the big fleet only the failing service's pods do, and only a service's first pod holds
    // a GPU (1,000 of the 1,600).
    const training = Array.from({ length: shape.trainingJobs }, (_, j) => (test ? 'train-ranker' : `train-${j}`));
    this.trainingRuns = test ? ['finetune-llama', 'train-ranker'] : training;
    this.pods = [
      ...this.serving.map((p, k) => ({ namespace: SERVING_NS, pod: p.pod, node: p.node, pvc: '',
        containers: [{ ...app('model-serving', test || k % shape.podsPerService === 0 ? 1 : 0), workingSet: test || p.errorRatio > 0.01 ? 15e9 : 10e9 }, { name: 'istio-proxy', memoryLimit: 1e9, workingSet: 0.3e9, gpus: 0 }] })),
      ...training.flatMap((run, j) => [0, 1].map((w) => ({ namespace: 'ai-training', pod: `${run}-worker-${w}`, node: this.nodes[(2 * j + w) % this.nodes.length], pvc: '', containers: [app('trainer', 2)] }))),
      { namespace: 'vector-store', pod: 'vector-store-0', node: this.nodes[0], pvc: 'data-vector-store-0', containers: [app('vector-store')] },
      { namespace: 'vector-store', pod: 'vector-store-1', node: this.nodes[1], pvc: 'data-vector-store-1', containers: [app('vector-store')] },
      { namespace: 'monitoring', pod: 'prometheus-main-0', node: this.nodes[0], pvc: 'prometheus-main-db-prometheus-main-0', containers: [app('prometheus')] },
    ];
    for (const node of this.nodes) { this.podsByNode.set(node, []); this.gpusByNode.set(node, []); }
    for (const p of this.pods) {
      this.podsByNode.get(p.node)!.push(p);
      for (const k of p.containers) {
        const gpus = this.gpusByNode.get(p.node)!;
        for (let g = 0; g < k.gpus && gpus.length < shape.gpusPerNode; g++) {
          const serving = p.namespace === SERVING_NS;
          const i = this.nodes.indexOf(p.node);
          gpus.push({ user: { namespace: p.namespace, pod: p.pod, container: k.name }, busy: serving ? 60 + 20 * (i % 2) : 90, temperature: serving && i === 1 ? 85 : 55 });
        }
      }
    }
    // Unallocated GPUs: dcgm-exporter omits the pod labels.
    for (const gpus of this.gpusByNode.values()) while (gpus.length < shape.gpusPerNode) gpus.push({ user: {}, busy: 0, temperature: 55 });
  }
}
const pvOf = (pvc: string) => `pvc-${pvc.length.toString(16).padStart(8, '0')}-${pvc.slice(-1)}`;

function nodeExporter(node: string, i: number): FakeTarget {
  // In a big fleet only the second node is short of memory; CPU use alternates between two levels.
  const v = i % 2;
  return {
    job: 'node-exporter',
    labels: { instance: node, namespace: 'monitoring-agents', pod: `node-exporter-${i}abcd`, container: 'node-exporter' },
    expose: (m, t) => {
      for (const cpu of ['0', '1']) {
        m.counter('node_cpu_seconds_total', { cpu, mode: 'idle' }, 1e5 + t * (0.6 + 0.1 * v));
        m.counter('node_cpu_seconds_total', { cpu, mode: 'user' }, 5e4 + t * (0.3 - 0.1 * v));
        m.counter('node_cpu_seconds_total', { cpu, mode: 'system' }, 1e4 + t * 0.1);
      }
      m.gauge('node_load1', {}, wobble(1.2 + v, t));
      m.gauge('node_memory_MemTotal_bytes', {}, 64e9);
      // The second node is short of memory (94% used): memory alerts and joins get data.
      m.gauge('node_memory_MemAvailable_bytes', {}, wobble(i === 1 ? 4e9 : 20e9, t));
      for (const [device, mountpoint, fstype] of [['nvme0n1p1', '/', 'ext4'], ['nvme1n1', '/var/lib/kubelet', 'xfs'], ['tmpfs', '/run', 'tmpfs']]) {
        m.gauge('node_filesystem_size_bytes', { device, mountpoint, fstype }, 200e9);
        m.gauge('node_filesystem_avail_bytes', { device, mountpoint, fstype }, 120e9 - t * 1e6);
      }
      for (const device of ['nvme0n1', 'nvme1n1']) {
        m.counter('node_disk_io_time_seconds_total', { device }, 500 + t * 0.2);
        m.counter('node_disk_reads_completed_total', { device }, 1e6 + t * 50);
        m.counter('node_disk_writes_completed_total', { device }, 2e6 + t * 80);
        m.counter('node_disk_read_bytes_total', { device }, 1e10 + t * 1e6);
        m.counter('node_disk_written_bytes_total', { device }, 2e10 + t * 2e6);
      }
      for (const device of ['eth0', 'lo']) {
        for (const dir of ['receive', 'transmit']) {
          m.counter(`node_network_${dir}_bytes_total`, { device }, 1e11 + t * 1e6);
          m.counter(`node_network_${dir}_errs_total`, { device }, 3);
          m.counter(`node_network_${dir}_drop_total`, { device }, 7);
        }
      }
    },
  };
}

const kubeStateMetrics = (fleet: Fleet): FakeTarget => ({
  job: 'kube-state-metrics',
  honorLabels: true,
  labels: { instance: '10.0.1.40:8080', namespace: 'monitoring', pod: 'kube-state-metrics-6d8f7c9b5-abcde', container: 'kube-state-metrics' },
  expose: (m, t) => {
    for (const node of fleet.nodes) {
      for (const condition of ['Ready', 'MemoryPressure', 'DiskPressure']) {
        for (const status of ['true', 'false', 'unknown']) {
          m.gauge('kube_node_status_condition', { node, condition, status }, (condition === 'Ready') === (status === 'true') ? 1 : 0);
        }
      }
    }
    for (const p of fleet.pods) {
      const pod = { namespace: p.namespace, pod: p.pod };
      m.gauge('kube_pod_info', { ...pod, node: p.node, host_ip: '10.0.1.11', pod_ip: '10.0.1.21', uid: `uid-${p.pod}`, created_by_kind: 'ReplicaSet', created_by_name: p.pod.slice(0, -6), priority_class: '', host_network: 'false' }, 1);
      for (const phase of ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']) m.gauge('kube_pod_status_phase', { ...pod, phase, uid: `uid-${p.pod}` }, phase === 'Running' ? 1 : 0);
      for (const k of p.containers) {
        const c = { ...pod, container: k.name, node: p.node, uid: `uid-${p.pod}` };
        m.counter('kube_pod_container_status_restarts_total', c, 0);
        m.gauge('kube_pod_container_resource_requests', { ...c, resource: 'cpu', unit: 'core' }, 2);
        m.gauge('kube_pod_container_resource_requests', { ...c, resource: 'memory', unit: 'byte' }, k.memoryLimit / 2);
        m.gauge('kube_pod_container_resource_limits', { ...c, resource: 'memory', unit: 'byte' }, k.memoryLimit);
        if (k.gpus) m.gauge('kube_pod_container_resource_limits', { ...c, resource: 'nvidia_com_gpu', unit: 'integer' }, k.gpus);
      }
      if (p.pvc) m.gauge('kube_persistentvolume_capacity_bytes', { persistentvolume: pvOf(p.pvc) }, 100 * 2 ** 30);
    }
    void t;
  },
});

/** The kubelet's cAdvisor endpoint of one node (the `node` target label, `honorLabels`). */
function cadvisor(fleet: Fleet, node: string, i: number): FakeTarget {
  return {
    job: 'kubelet',
    honorLabels: true,
    labels: { instance: `10.0.${i + 1}.1${i + 1}:10250`, node, metrics_path: '/metrics/cadvisor', namespace: 'kube-system', service: 'kubelet', endpoint: 'https-metrics' },
    expose: (m, t) => {
      for (const p of fleet.podsByNode.get(node)!) {
        const pod = { namespace: p.namespace, pod: p.pod };
        const cgroup = `/kubepods/burstable/pod${p.pod}`;
        // The pod-level cgroup (no container), the pause container and the containers.
        const total = p.containers.reduce((sum, k) => sum + k.workingSet, 0);
        const cgroups: Array<[string, string, number]> = [['', '', total], ['POD', 'registry.k8s.io/pause:3.9', 1e6], ...p.containers.map((k): [string, string, number] => [k.name, `${k.name}:1.0`, k.workingSet])];
        for (const [container, image, workingSet] of cgroups) {
          const l = { ...pod, container, id: container ? `${cgroup}/${container}` : cgroup, image, name: container ? `k8s_${container}_${p.pod}` : '' };
          const share = workingSet / total;
          m.counter('container_cpu_usage_seconds_total', l, (1e4 + t * 0.8) * share);
          m.gauge('container_memory_working_set_bytes', l, workingSet);
          m.counter('container_cpu_cfs_periods_total', l, 1e6 + t * 10);
          m.counter('container_cpu_cfs_throttled_periods_total', l, 1e4 + t * (0.5 + (i % 2)));
        }
        for (const iface of ['eth0', 'eth1']) m.counter('container_network_transmit_bytes_total', { ...pod, container: '', id: cgroup, image: '', name: '', interface: iface }, 1e9 + t * 2e5);
        if (p.pvc) {
          m.gauge('kubelet_volume_stats_used_bytes', { namespace: p.namespace, persistentvolumeclaim: p.pvc }, 40e9 + t * 1e5);
          m.gauge('kubelet_volume_stats_capacity_bytes', { namespace: p.namespace, persistentvolumeclaim: p.pvc }, 100e9);
        }
      }
    },
  };
}

/** dcgm-exporter on one node: its GPUs' pods (none for a free GPU), the serving GPU of node 1 hot. */
function dcgmExporter(fleet: Fleet, node: string, i: number): FakeTarget {
  return {
    job: 'dcgm-exporter',
    honorLabels: true,
    monitor: 'dcgm-exporter',
    labels: { instance: `10.0.${i + 1}.50:9400`, node, namespace: 'gpu-monitoring', pod: `dcgm-exporter-${i}xyz`, container: 'dcgm-exporter', service: 'dcgm-exporter', endpoint: 'metrics' },
    expose: (m, t) => {
      fleet.gpusByNode.get(node)!.forEach(({ user, busy, temperature }, g) => {
        const gpu = String(g);
        const l = { gpu, UUID: `GPU-${i}${gpu}-4a3b`, device: `nvidia${gpu}`, modelName: 'NVIDIA A10G', Hostname: node, DCGM_FI_DRIVER_VERSION: '535.104.05', ...user };
        m.gauge('DCGM_FI_DEV_GPU_UTIL', l, busy ? wobble(busy, t, Number(gpu)) : 0);
        m.gauge('DCGM_FI_DEV_FB_USED', l, busy ? 18000 : 0);
        m.gauge('DCGM_FI_DEV_FB_FREE', l, busy ? 4500 : 22500);
        m.gauge('DCGM_FI_DEV_GPU_TEMP', l, wobble(temperature, t));
        m.gauge('DCGM_FI_DEV_POWER_USAGE', l, wobble(busy ? 180 : 25, t));
        m.gauge('DCGM_FI_DEV_POWER_MGMT_LIMIT', l, 300);
        m.gauge('DCGM_FI_DEV_XID_ERRORS', l, 0);
      });
    },
  };
}

/** The seed's model server (its PodMonitor stamps `job` and `model_server`), one per pod. */
function modelServing(fleet: Fleet, p: ServingPod): FakeTarget {
  const bounds = fleet.shape.latencyBounds;
  return {
    job: p.job,
    labels: { model_server: 'seed', instance: `${p.ip}:8080`, namespace: SERVING_NS, pod: p.pod, container: 'model-serving', endpoint: 'metrics' },
    expose: (m, t) => {
      p.models.forEach((model, j) => {
        const rps = p.rps + 5 * j;
        m.counter('model_requests_total', { model }, 1e5 + t * rps);
        // The test's second pod fails 6% of its requests; the first 0.2-0.4%.
        m.counter('model_request_errors_total', { model }, 100 + t * rps * (p.errorRatio > 0.01 ? p.errorRatio : p.errorRatio * (1 + j)));
        m.histogram('model_inference_latency_seconds', { model }, 1e5 + t * rps, 0.04 + 0.01 * j, bounds, fleet.latencyFractions);
        m.histogram('model_batch_processing_seconds', { model }, 1e4 + t * rps / 8, 0.2, bounds, fleet.batchFractions);
        m.gauge('model_memory_consumption_bytes', { model }, wobble(6e9 + j * 1e9, t));
      });
    },
  };
}

/** The self-hosted vector store (job and `vector_store` stamped by its monitor), one per pod. */
function vectorStore(pod: string, i: number): FakeTarget {
  return {
    job: 'vector-store',
    labels: { vector_store: 'vector-store', instance: `10.0.${i + 1}.30:9090`, namespace: 'vector-store', pod, container: 'vector-store' },
    expose: (m, t) => {
      INDEXES.forEach((index, j) => {
        for (const operation of ['query', 'upsert']) m.counter('vector_index_operations_total', { index, operation }, 1e4 + t * (10 + j));
        m.histogram('vector_query_latency_seconds', { index }, 1e4 + t * (8 + j), 0.02, TEST_FLEET.latencyBounds, TEST_FRACTIONS);
        m.counter('vector_cache_requests_total', { index }, 1e4 + t * 10);
        m.counter('vector_cache_hits_total', { index }, 8e3 + t * 8);
      });
    },
  };
}

/** Pinecone serverless (current names), after the monitor's relabelling: `index_name` -> `index`. */
const pinecone: FakeTarget = {
  job: 'pinecone',
  labels: { vector_store: 'pinecone', instance: 'metrics.pinecone.io:443' },
  expose: (m, t) => {
    INDEXES.forEach((index, j) => {
      const l = { index, index_name: index, project_id: 'p-123', pinecone_region: 'us-east-1', cloud: 'aws' };
      m.gauge('pinecone_db_record_total', l, 1e6 + t * 10);
      m.gauge('pinecone_db_storage_size_bytes', l, 5e9 + t * 1e4);
      m.counter('pinecone_db_op_query_count', l, 1e5 + t * (5 + j));
      m.counter('pinecone_db_op_query_duration_sum', l, 4e6 + t * (5 + j) * 40);
      for (const op of ['upsert', 'update', 'delete']) m.counter(`pinecone_db_op_${op}_count`, l, 1e4 + t);
      m.counter('pinecone_db_read_unit_count', l, 1e5 + t * 6);
      m.counter('pinecone_db_write_unit_count', l, 1e5 + t * 3);
    });
  },
};

/** OpenCost (honorLabels: its namespace/pod/node labels describe the costed object). */
const opencost = (fleet: Fleet): FakeTarget => ({
  job: 'opencost',
  honorLabels: true,
  labels: { instance: '10.0.1.60:9003', namespace: 'opencost', pod: 'opencost-5f6d7c8b9-zzzzz', container: 'opencost' },
  expose: (m) => {
    for (const node of fleet.nodes) {
      const l = { node, instance: node, instance_type: 'g5.2xlarge', provider_id: `aws:///us-east-1a/i-${node.slice(3, 11)}` };
      m.gauge('node_cpu_hourly_cost', l, 0.05);
      m.gauge('node_ram_hourly_cost', l, 0.005);
      m.gauge('node_gpu_hourly_cost', l, 0.9);
      m.gauge('node_total_hourly_cost', l, 1.21);
    }
    for (const p of fleet.pods) {
      for (const k of p.containers) {
        const l = { namespace: p.namespace, pod: p.pod, container: k.name, node: p.node, instance: p.node };
        m.gauge('container_cpu_allocation', l, 2);
        m.gauge('container_memory_allocation_bytes', l, k.memoryLimit / 2);
        if (k.gpus) m.gauge('container_gpu_allocation', l, k.gpus);
      }
      if (p.pvc) {
        m.gauge('pod_pvc_allocation', { namespace: p.namespace, pod: p.pod, persistentvolumeclaim: p.pvc, persistentvolume: pvOf(p.pvc) }, 100 * 2 ** 30);
        m.gauge('pv_hourly_cost', { persistentvolume: pvOf(p.pvc), volumename: pvOf(p.pvc), provider_id: `vol-${p.pvc.length}` }, 0.00014);
      }
    }
  },
});

/** Training runs pushed to the Pushgateway (honorLabels keeps each run's job/namespace). */
const pushgateway = (fleet: Fleet): FakeTarget => ({
  job: 'pushgateway',
  honorLabels: true,
  labels: { instance: '10.0.1.70:9091', namespace: 'monitoring', pod: 'pushgateway-0', container: 'pushgateway' },
  expose: (m, t) => {
    fleet.trainingRuns.forEach((run, k) => {
      const j = k % 2;
      const l = { job: run, namespace: 'ai-training', instance: '' };
      m.gauge('training_loss', l, 2 / (1 + t / 100) + 0.1 * j);
      m.gauge('training_learning_rate', l, 3e-4);
      m.gauge('training_gradient_norm', l, wobble(1.5 + j, t));
      m.counter('training_steps_total', l, 1000 + Math.floor(t * 2));
    });
  },
});

/** Self-metrics of the other platform components the rules read. */
const platformComponents: FakeTarget[] = [
  {
    job: 'alertmanager',
    labels: { instance: '10.0.1.80:9093', namespace: 'monitoring', pod: 'alertmanager-ai-monitoring-0' },
    expose: (m, t) => {
      for (const integration of ['webhook', 'slack', 'pagerduty', 'email']) {
        m.counter('alertmanager_notifications_total', { integration }, 100 + t);
        m.counter('alertmanager_notifications_failed_total', { integration, reason: 'other' }, 0);
      }
      m.gauge('alertmanager_config_last_reload_successful', {}, 1);
    },
  },
  {
    job: 'loki',
    labels: { instance: '10.0.1.90:3100', namespace: 'logging', pod: 'loki-write-0' },
    expose: (m, t) => {
      for (const tenant of ['fake', 'ai']) {
        m.counter('loki_discarded_samples_total', { reason: 'rate_limited', tenant }, 0);
        m.counter('loki_discarded_samples_total', { reason: 'line_too_long', tenant }, 5);
        m.counter('loki_ingester_chunk_stored_bytes_total', { tenant }, 1e9 + t * 1e5);
      }
    },
  },
  {
    job: 'thanos-compact',
    labels: { instance: '10.0.1.95:10902', namespace: 'monitoring', pod: 'thanos-compact-0' },
    expose: (m) => { m.gauge('thanos_compact_halted', {}, 0); },
  },
  {
    job: 'api-gateway',
    labels: { instance: '10.0.1.99:8080', namespace: 'ai-serving', pod: 'api-gateway-0' },
    expose: (m, t) => { m.gauge('api_active_users', { tier: 'free' }, Math.round(wobble(1200, t))); m.gauge('api_active_users', { tier: 'pro' }, 300); },
  },
];

/** Every scrape target of a fleet. */
export function fakeTargets(shape: FleetShape = TEST_FLEET): FakeTarget[] {
  const fleet = new Fleet(shape);
  return [
    ...fleet.nodes.map(nodeExporter),
    kubeStateMetrics(fleet),
    ...fleet.nodes.map((node, i) => cadvisor(fleet, node, i)),
    ...fleet.nodes.map((node, i) => dcgmExporter(fleet, node, i)),
    ...fleet.serving.map((p) => modelServing(fleet, p)),
    vectorStore('vector-store-0', 0), vectorStore('vector-store-1', 1),
    pinecone,
    opencost(fleet),
    pushgateway(fleet),
    ...platformComponents,
  ];
}

export const FAKE_TARGETS: FakeTarget[] = fakeTargets();

/**
 * Serves each fake target's exposition at `/t/<index>` on 127.0.0.1, its counters advancing with
 * the time since the server started (shared by the runtime test and `npm run bench:rules`).
 */
export function serveFleet(targets: readonly FakeTarget[]): Promise<http.Server> {
  const t0 = Date.now();
  return listen((req, res) => {
    const target = targets[Number(/^\/t\/(\d+)$/.exec(req.url ?? '')?.[1] ?? -1)];
    if (!target) { res.statusCode = 404; res.end(); return; }
    const m = new Exposition();
    target.expose(m, (Date.now() - t0) / 1000);
    res.setHeader('Content-Type', 'text/plain; version=0.0.4');
    res.end(m.toString());
  });
}
