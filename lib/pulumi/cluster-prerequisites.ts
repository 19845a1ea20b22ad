import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { invalid, requireUnique } from '../core/errors.js';
import { imageTag } from '../core/images.js';

/** One operator the platform's objects need, installed at a pinned version. */
export class Prerequisite {
  /** An upstream release manifest, applied as is (its URL names the exact version). */
  static manifest(name: string, version: string, url: string): Prerequisite {
    if (!/^https:\/\/\S+\.ya?ml$/.test(url) || !url.includes(version)) {
      throw invalid(`prerequisites.${name}.url`, url, `an https URL of a YAML release manifest that names version ${version}`);
    }
    return new Prerequisite(name, version, { url });
  }

  /** A Helm chart at a pinned chart version, in its own namespace. */
  static helm(props: { name: string; chart: string; repo: string; version: string; namespace: string; values?: Record<string, unknown> }): Prerequisite {
    if (!/^\d+\.\d+\.\d+$/.test(props.version)) throw invalid(`prerequisites.${props.name}.version`, props.version, 'an exact chart version like 1.2.3');
    return new Prerequisite(props.name, props.version, undefined, props);
  }

  private constructor(
    readonly name: string,
    readonly version: string,
    readonly manifest?: { url: string },
    readonly chart?: { chart: string; repo: string; namespace: string; values?: Record<string, unknown> },
  ) {}
}

/**
 * The operators the platform's manifests rely on, each pinned (versions checked against the
 * upstream releases): prometheus-operator (CRDs and operator, matching IMAGES.prometheusOperator;
 * its bundle starts the operator with `--kubelet-service=kube-system/kubelet`), CloudNativePG
 * (Grafana's database), KEDA, Argo Workflows and Argo Events (automated response).
 */
export const PREREQUISITES: readonly Prerequisite[] = [
  Prerequisite.manifest('prometheus-operator', imageTag('prometheusOperator'),
    `https://github.com/prometheus-operator/prometheus-operator/releases/download/${imageTag('prometheusOperator')}/bundle.yaml`),
  Prerequisite.manifest('cloudnative-pg', '1.27.0',
    'https://raw.githubusercontent.com/cloudnative-pg/cloudnative-pg/release-1.27/releases/cnpg-1.27.0.yaml'),
  Prerequisite.manifest('keda', '2.17.2', 'https://github.com/kedacore/keda/releases/download/v2.17.2/keda-2.17.2.yaml'),
  Prerequisite.helm({ name: 'argo-workflows', chart: 'argo-workflows', repo: 'https://argoproj.github.io/argo-helm', version: '0.45.19', namespace: 'argo' }),
  Prerequisite.helm({ name: 'argo-events', chart: 'argo-events', repo: 'https://argoproj.github.io/argo-helm', version: '2.4.16', namespace: 'argo-events' }),
];

export interface ClusterPrerequisitesArgs {
  /** @default PREREQUISITES */
  readonly prerequisites?: readonly Prerequisite[];
}

/** Installs the operators of one cluster (give it the region's Kubernetes provider). */
export class ClusterPrerequisites extends pulumi.ComponentResource {
  readonly resources: pulumi.Resource[] = [];

  constructor(name: string, args: ClusterPrerequisitesArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super('ai-monitoring:cluster:Prerequisites', name, {}, opts);
    const seen: string[] = [];
    for (const p of args.prerequisites ?? PREREQUISITES) {
      requireUnique('prerequisites', p.name, seen);
      seen.push(p.name);
      const id = `${name}-${p.name}`;
      if (p.manifest) {
        this.resources.push(new k8s.yaml.v2.ConfigGroup(id, { files: [p.manifest.url] }, { parent: this }));
      } else if (p.chart) {
        this.resources.push(new k8s.helm.v3.Release(id, {
          name: p.name,
          chart: p.chart.chart,
          version: p.version,
          repositoryOpts: { repo: p.chart.repo },
          namespace: p.chart.namespace,
          createNamespace: true,
          atomic: true,
          values: p.chart.values,
        }, { parent: this }));
      }
    }
    this.registerOutputs({});
  }
}
