import type { ImageName } from './images.js';

/**
 * What a pinned image needs at run time, read from its own Dockerfile and entrypoint at the
 * pinned tag: the security context and volumes of every container the library renders must
 * satisfy it (test/policy/runtime-contracts.test.ts checks every container of the seed platform).
 */
export interface RuntimeContract {
  /** The upstream file(s) read, at the pinned version. */
  readonly source: string;
  /** The image's ENTRYPOINT. */
  readonly entrypoint: readonly string[];
  /** The `command` the library sets instead of the entrypoint, and why. @default - the image's entrypoint runs */
  readonly command?: { readonly argv: readonly string[]; readonly reason: string };
  /** Paths the process writes (as the library configures it): each must be a writable volume mount. */
  readonly writes: readonly string[];
  /** The image's USER. */
  readonly imageUser: number;
  /** Whether another uid works (no file of the image must be owned by the user; volumes get fsGroup). */
  readonly anyUser: boolean;
  /** Ports the process listens on as the library configures it. */
  readonly ports: readonly number[];
  /** Set when the root filesystem must stay writable for this container, with the reason. @default - read-only root */
  readonly writableRootReason?: string;
  /** Pods built by an operator from a CR: it adds the data and config volumes itself. */
  readonly managedBy?: string;
}

/** Path of the exporter binary in the dcgm-exporter image (its Dockerfile copies it there). */
export const DCGM_EXPORTER_BINARY = '/usr/bin/dcgm-exporter';

/** The runtime contract of each image in IMAGES (the operator image is a prerequisite, not deployed). */
export const RUNTIME_CONTRACTS: Record<Exclude<ImageName, 'prometheusOperator'>, RuntimeContract> = {
  prometheus: {
    source: 'prometheus/prometheus v3.5.0 Dockerfile (USER nobody, ENTRYPOINT /bin/prometheus)',
    entrypoint: ['/bin/prometheus'],
    writes: ['/prometheus'],
    imageUser: 65534,
    anyUser: true,
    ports: [9090],
    managedBy: 'prometheus-operator v0.86 (data on the storage PVC, generated config on emptyDirs)',
  },
  alertmanager: {
    source: 'prometheus/alertmanager v0.28.1 Dockerfile (USER nobody, ENTRYPOINT /bin/alertmanager)',
    entrypoint: ['/bin/alertmanager'],
    writes: ['/alertmanager'],
    imageUser: 65534,
    anyUser: true,
    ports: [9093, 9094],
    managedBy: 'prometheus-operator v0.86 (data on the storage PVC, generated config on emptyDirs)',
  },
  nodeExporter: {
    source: 'prometheus/node_exporter v1.9.1 Dockerfile (USER nobody, ENTRYPOINT /bin/node_exporter)',
    entrypoint: ['/bin/node_exporter'],
    writes: [],
    imageUser: 65534,
    anyUser: true,
    ports: [9100],
  },
  kubeStateMetrics: {
    source: 'kubernetes/kube-state-metrics v2.15.0 Dockerfile (distroless, USER nobody, ENTRYPOINT /kube-state-metrics --port=8080 --telemetry-port=8081)',
    entrypoint: ['/kube-state-metrics', '--port=8080', '--telemetry-port=8081'],
    writes: [],
    imageUser: 65534,
    anyUser: true,
    ports: [8080, 8081],
  },
  pushgateway: {
    source: 'prometheus/pushgateway v1.11.1 Dockerfile (USER nobody, ENTRYPOINT /bin/pushgateway)',
    entrypoint: ['/bin/pushgateway'],
    writes: ['/data'],
    imageUser: 65534,
    anyUser: true,
    ports: [9091],
  },
  thanos: {
    source: 'thanos-io/thanos v0.39.2 Dockerfile (busybox, adduser -u 1001, USER 1001, ENTRYPOINT /bin/thanos)',
    entrypoint: ['/bin/thanos'],
    // --data-dir of store, compactor, receive; query and query-frontend keep their scratch there too.
    writes: ['/var/thanos/data'],
    imageUser: 1001,
    anyUser: true,
    ports: [10901, 10902, 19291],
  },
  grafana: {
    source: 'grafana/grafana 12.1.1 Dockerfile and packaging/docker/run.sh (USER 472, ENTRYPOINT /run.sh: mkdir $GF_PATHS_PLUGINS under /var/lib/grafana, then grafana server with cfg:default.log.mode=console, so nothing under /var/log/grafana)',
    entrypoint: ['/run.sh'],
    writes: ['/var/lib/grafana', '/tmp'],
    imageUser: 472,
    anyUser: false,
    ports: [3000, 9094],
  },
  loki: {
    source: 'grafana/loki v3.5.3 cmd/loki/Dockerfile (USER 10001, ENTRYPOINT /usr/bin/loki)',
    entrypoint: ['/usr/bin/loki'],
    writes: ['/var/loki', '/tmp'],
    imageUser: 10001,
    anyUser: true,
    ports: [3100, 9095, 7946],
  },
  alloy: {
    source: 'grafana/alloy v1.10.0 Dockerfile (ubuntu noble; ENTRYPOINT /bin/alloy; the alloy user 473 exists but is not the default, so root; --storage.path holds positions and WAL)',
    entrypoint: ['/bin/alloy'],
    writes: ['/var/lib/alloy', '/tmp'],
    imageUser: 0,
    anyUser: false,
    ports: [12345],
  },
  promtail: {
    source: 'grafana/loki v3.5.3 clients/cmd/promtail/Dockerfile (ENTRYPOINT /usr/bin/promtail, runs as root)',
    entrypoint: ['/usr/bin/promtail'],
    writes: ['/run/promtail', '/tmp'],
    imageUser: 0,
    anyUser: false,
    ports: [3101],
  },
  dcgmExporter: {
    source: 'NVIDIA/dcgm-exporter 4.2.3-4.1.3 docker/Dockerfile (USER root, binary copied to /usr/bin/dcgm-exporter, ENTRYPOINT /usr/local/dcgm/dcgm-exporter-entrypoint.sh) and docker/dcgm-exporter-entrypoint.sh (set -euo pipefail; ldconfig; setcap; exec dcgm-exporter "$@")',
    entrypoint: ['/usr/local/dcgm/dcgm-exporter-entrypoint.sh'],
    command: {
      argv: [DCGM_EXPORTER_BINARY],
      reason: 'the entrypoint runs ldconfig, which writes /etc/ld.so.cache~ and fails (set -e) on a read-only root; setcap is a no-op without CAP_SETFCAP',
    },
    writes: ['/tmp'],
    imageUser: 0,
    anyUser: false,
    ports: [9400],
  },
  opencost: {
    source: 'opencost/opencost 1.115.0 Dockerfile (USER 1001, ENTRYPOINT /go/bin/app; writes its config and cache dirs)',
    entrypoint: ['/go/bin/app'],
    writes: ['/tmp', '/var/configs'],
    imageUser: 1001,
    anyUser: true,
    ports: [9003],
  },
  postgres: {
    source: 'cloudnative-pg/postgres-containers 17.5 Dockerfile (USER 26); pods built by CloudNativePG 1.27',
    entrypoint: [],
    writes: ['/var/lib/postgresql/data', '/run', '/controller'],
    imageUser: 26,
    anyUser: false,
    ports: [5432, 9187, 8000],
    managedBy: 'CloudNativePG 1.27 (PGDATA on the instance PVC, /run and /controller on emptyDirs)',
  },
  kubectl: {
    source: 'kubernetes/kubernetes v1.34.1 build/server-image/kubectl/Dockerfile (debian-base with bash, no USER, ENTRYPOINT /bin/kubectl); the steps set command, and HOME=/tmp holds the discovery cache',
    entrypoint: ['/bin/kubectl'],
    writes: ['/tmp'],
    imageUser: 0,
    anyUser: true,
    ports: [],
  },
  curl: {
    source: 'curl/curl-container 8.17.0 alpine/latest/Dockerfile (USER curl_user uid 100, ENTRYPOINT /entrypoint.sh); the steps run sh',
    entrypoint: ['/entrypoint.sh'],
    writes: ['/tmp'],
    imageUser: 100,
    anyUser: true,
    ports: [],
  },
};

/**
 * The EventBus pods (JetStream): built by the Argo Events v1.9.10 controller from the EventBus
 * (pkg/reconciler/eventbus/installer/jetstream.go): `nats-server --config
 * /etc/nats-config/nats-js.conf`, the pid file on an emptyDir at /var/run/nats, the stream
 * store on an emptyDir at /data/jetstream (without `persistence`); the nats image has no USER
 * and its files are world-readable, so the EventBus's non-root uid 1000 runs it.
 */
export const EVENTBUS_CONTRACT: RuntimeContract = {
  source: 'argoproj/argo-events v1.9.10 pkg/reconciler/eventbus/installer/jetstream.go; nats 2.10.10 Dockerfile (scratch, ENTRYPOINT /nats-server)',
  entrypoint: ['/nats-server'],
  writes: ['/var/run/nats', '/data/jetstream'],
  imageUser: 0,
  anyUser: true,
  ports: [4222, 6222, 8222, 7777],
  managedBy: 'Argo Events v1.9.10 (pid and stream store on emptyDirs it adds)',
};

/** The contract of an image reference, by its repository (tags may be overridden). */
export function contractOf(image: string, pins: Record<string, string>): { name: string; contract: RuntimeContract } | undefined {
  const repo = (ref: string) => ref.split('@')[0].replace(/:[^/:]+$/, '');
  const entry = Object.entries(pins).find(([, ref]) => repo(ref) === repo(image));
  if (!entry || !(entry[0] in RUNTIME_CONTRACTS)) return undefined;
  return { name: entry[0], contract: RUNTIME_CONTRACTS[entry[0] as keyof typeof RUNTIME_CONTRACTS] };
}
