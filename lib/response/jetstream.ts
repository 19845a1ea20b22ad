/**
 * The JetStream (NATS server) version of the EventBus, and the images the Argo Events controller
 * starts for it. The controller only accepts an EventBus version listed in its config
 * (`configs.jetstream.versions` of the argo-events chart, whose default lists only `latest`), so
 * ClusterPrerequisites installs the chart with exactly this entry. The images are the ones Argo
 * Events v1.9 itself pairs with 2.10.10 (manifests/base/controller-manager/controller-config.yaml).
 */
export const JETSTREAM = {
  version: '2.10.10',
  natsImage: 'docker.io/library/nats:2.10.10',
  metricsExporterImage: 'docker.io/natsio/prometheus-nats-exporter:0.14.0',
  configReloaderImage: 'docker.io/natsio/nats-server-config-reloader:0.14.0',
  startCommand: '/nats-server',
} as const;
