import { invalid, requireString } from './errors.js';

/**
 * Every container image the library deploys, pinned to an exact version in one place.
 * Constructs take an `image` prop to override their entry; nothing else names a tag.
 */
export const IMAGES = {
  /** prometheus-operator release whose CRDs the cluster must have (see README prerequisites). */
  prometheusOperator: 'quay.io/prometheus-operator/prometheus-operator:v0.86.0',
  prometheus: 'quay.io/prometheus/prometheus:v3.5.0',
  alertmanager: 'quay.io/prometheus/alertmanager:v0.28.1',
  nodeExporter: 'quay.io/prometheus/node-exporter:v1.9.1',
  kubeStateMetrics: 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.15.0',
  pushgateway: 'quay.io/prometheus/pushgateway:v1.11.1',
  thanos: 'quay.io/thanos/thanos:v0.39.2',
  grafana: 'docker.io/grafana/grafana:12.1.1',
  loki: 'docker.io/grafana/loki:3.5.3',
  alloy: 'docker.io/grafana/alloy:v1.10.0',
  promtail: 'docker.io/grafana/promtail:3.5.3',
  dcgmExporter: 'nvcr.io/nvidia/k8s/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04',
  opencost: 'ghcr.io/opencost/opencost:1.115.0',
  /** PostgreSQL for Grafana's shared database, run by CloudNativePG. */
  postgres: 'ghcr.io/cloudnative-pg/postgresql:17.5',
  /** Remediation steps: the Kubernetes project's own kubectl image (debian-base with bash; see RUNTIME_CONTRACTS). */
  kubectl: 'registry.k8s.io/kubectl:v1.34.1',
  /** Remediation impact checks and escalation: Alpine-based, with sh, sed and awk. */
  curl: 'docker.io/curlimages/curl:8.17.0',
} as const;

export type ImageName = keyof typeof IMAGES;

/** Version tag of a pinned image, for `version` fields of operator CRs. */
export function imageTag(name: ImageName): string {
  const ref = IMAGES[name];
  return ref.slice(ref.lastIndexOf(':') + 1);
}

/** Throws unless an image reference carries an explicit tag or digest (never `latest`). */
export function requirePinnedImage(image: string, prop = 'image'): string {
  requireString(prop, image);
  const tag = image.includes('@sha256:') ? 'digest' : image.slice(image.lastIndexOf(':') + 1);
  if (!/^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?(:\d+)?\//.test(image) || !image.includes(':') || tag.includes('/') || tag === 'latest') {
    throw invalid(prop, image, 'an image pinned to a version like registry.example.com/app:v1.2.3 (not latest)');
  }
  return image;
}

const SEMVER = /^v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/;

/**
 * The `version` of an operator CR (Prometheus, Alertmanager, Thanos sidecar) running `image`:
 * prometheus-operator picks flags and config fields by it, so it must describe the image that
 * actually runs. An explicit version wins; otherwise it is read from the image's tag, and a tag
 * that is not a version (a digest alone, `main`, a custom build name) requires the explicit one.
 */
export function versionOfImage(image: string, explicit: string | undefined, prop = 'version'): string {
  if (explicit !== undefined) {
    const m = typeof explicit === 'string' ? SEMVER.exec(explicit) : null;
    if (!m) throw invalid(prop, explicit, 'a version like v3.5.0');
    return `v${m[1]}`;
  }
  const name = image.split('@')[0];
  const colon = name.lastIndexOf(':');
  const tag = colon > name.lastIndexOf('/') ? name.slice(colon + 1) : '';
  // Tags like `v3.5.0-distroless` keep their suffix as a pre-release, which semver orders below the release.
  const m = SEMVER.exec(tag);
  if (!m) throw invalid(prop, undefined, `an explicit version like v3.5.0: the tag of image '${image}' is not a version`);
  return `v${m[1]}`;
}
