/**
 * The JetStream (NATS server) version of the EventBus, and the images the Argo Events controller
 * starts for it. The controller only accepts an EventBus version listed in its config. Argo
 * Events v1.9.10's own install (manifests/base/controller-manager/controller-config.yaml, embedded
 * in manifests/install.yaml) lists 2.10.10 with exactly these images, so a plain manifest install
 * runs this EventBus out of the box; the argo-events Helm chart's default lists only `latest`, so
 * ClusterPrerequisites installs the chart with this entry added (the library installs the
 * matching configuration itself).
 */
export const JETSTREAM = {
  version: '2.10.10',
  natsImage: 'docker.io/library/nats:2.10.10',
  metricsExporterImage: 'docker.io/natsio/prometheus-nats-exporter:0.14.0',
  configReloaderImage: 'docker.io/natsio/nats-server-config-reloader:0.14.0',
  startCommand: '/nats-server',
} as const;

/**
 * The pinned JetStream versions Argo Events v1.9.10's default controller config lists
 * (manifests/base/controller-manager/controller-config.yaml `eventBus.jetstream.versions`, less
 * `latest`). Any other version is refused by the controller with "unsupported version".
 */
export const ARGO_EVENTS_JETSTREAM_VERSIONS: readonly string[] = [
  '2.8.1', '2.8.1-alpine', '2.8.2', '2.8.2-alpine', '2.9.1', '2.9.12', '2.9.16', '2.10.10',
];
