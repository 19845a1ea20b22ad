import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { invalid, requireUnique } from '../core/errors.js';
import { imageTag } from '../core/images.js';
import { validateDnsLabel } from '../core/names.js';
import { ARGO_WORKFLOWS_CONTROLLER } from '../response/argo-monitoring.js';
import { JETSTREAM } from '../response/jetstream.js';

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

const ARGO_HELM = 'https://argoproj.github.io/argo-helm';

/** Versions of the operators, each checked against its upstream release (docs/topology.md). */
export const OPERATOR_VERSIONS = {
  /** = IMAGES.prometheusOperator. */
  prometheusOperator: imageTag('prometheusOperator'),
  cloudnativePg: '1.27.0',
  /** Release manifest keda-2.21.0.yaml (CRDs and operator). */
  keda: '2.21.0',
  /** Chart argo-workflows 2.0.1 = Argo Workflows v4.1.0 (the API of @kubernetes-models/argo-workflows 2.x). */
  argoWorkflowsChart: '2.0.1',
  /** Chart argo-events 2.4.21 = Argo Events v1.9.10. */
  argoEventsChart: '2.4.21',
} as const;

export interface DefaultPrerequisitesOptions {
  /**
   * Namespaces where Argo Workflows runs workflows: the IncidentResponse namespace.
   * @default ['incident-response']
   */
  readonly workflowNamespaces?: readonly string[];
}

/**
 * The executor (init and wait containers) of every workflow pod runs in the restricted
 * `incident-response` namespace, so it needs the restricted security context and, like every
 * container of the platform, requests and a memory limit. The user comes from the workflow's pod
 * security context (IncidentResponse sets a non-root one).
 */
export const ARGO_EXECUTOR = {
  securityContext: {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  },
  resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '256Mi' } },
} as const;

/**
 * The operators the platform's manifests rely on, each pinned: prometheus-operator (CRDs and
 * operator, matching IMAGES.prometheusOperator; its bundle starts the operator with
 * `--kubelet-service=kube-system/kubelet`), CloudNativePG (Grafana's database), KEDA, Argo
 * Workflows and Argo Events (automated response), with the Helm values IncidentResponse needs.
 */
export function defaultPrerequisites(options: DefaultPrerequisitesOptions = {}): Prerequisite[] {
  const workflowNamespaces = [...(options.workflowNamespaces ?? ['incident-response'])];
  if (workflowNamespaces.length === 0) throw invalid('workflowNamespaces', workflowNamespaces, 'at least one namespace');
  workflowNamespaces.forEach((ns, i) => validateDnsLabel(ns, `workflowNamespaces[${i}]`));
  const v = OPERATOR_VERSIONS;
  return [
    Prerequisite.manifest('prometheus-operator', v.prometheusOperator,
      `https://github.com/prometheus-operator/prometheus-operator/releases/download/${v.prometheusOperator}/bundle.yaml`),
    Prerequisite.manifest('cloudnative-pg', v.cloudnativePg,
      `https://raw.githubusercontent.com/cloudnative-pg/cloudnative-pg/release-1.27/releases/cnpg-${v.cloudnativePg}.yaml`),
    Prerequisite.manifest('keda', v.keda, `https://github.com/kedacore/keda/releases/download/v${v.keda}/keda-${v.keda}.yaml`),
    Prerequisite.helm({
      name: ARGO_WORKFLOWS_CONTROLLER.release, chart: 'argo-workflows', repo: ARGO_HELM, version: v.argoWorkflowsChart, namespace: ARGO_WORKFLOWS_CONTROLLER.namespace,
      values: {
        // metricsConfig is written to the controller's ConfigMap only when enabled; without it the
        // controller serves /metrics over self-signed TLS. Plain HTTP on port `metrics` (9090) is
        // what the platform's PodMonitor scrapes (response/argo-monitoring.ts).
        controller: { workflowNamespaces, metricsConfig: { enabled: true, secure: false } },
        executor: { securityContext: ARGO_EXECUTOR.securityContext, resources: ARGO_EXECUTOR.resources },
      },
    }),
    Prerequisite.helm({
      name: 'argo-events', chart: 'argo-events', repo: ARGO_HELM, version: v.argoEventsChart, namespace: 'argo-events',
      // Replaces the chart's list (only `latest`) with the one version the EventBus asks for.
      values: { configs: { jetstream: { versions: [{ ...JETSTREAM }] } } },
    }),
  ];
}

/** {@link defaultPrerequisites} with its defaults. */
export const PREREQUISITES: readonly Prerequisite[] = defaultPrerequisites();

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
