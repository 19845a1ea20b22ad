import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalid } from '../core/errors.js';
import { findApiObject } from '../core/chart-index.js';
import { validateDnsLabel } from '../core/names.js';
import type { Workload } from '../core/workload.js';

/** Workload kinds an automation rule can act on (KEDA scales both; kubectl rollout handles both). */
export type TargetKind = 'Deployment' | 'StatefulSet';

/**
 * The workload an automation rule acts on. It must be a Deployment or StatefulSet of the same
 * chart: `fromWorkload` refers to a construct directly, `deployment`/`statefulSet` name one
 * that the chart must contain when it is synthesized (checked by {@link WorkloadTarget.assertInChart}),
 * so a typo cannot produce a ScaledObject or a remediation for a workload that does not exist.
 */
export class WorkloadTarget {
  static fromWorkload(workload: Workload): WorkloadTarget {
    const kind = workload.resource.kind;
    if (kind !== 'Deployment' && kind !== 'StatefulSet') {
      throw invalid('target', `${kind}/${workload.name}`, 'a Deployment or StatefulSet (KEDA cannot scale a DaemonSet)');
    }
    return new WorkloadTarget(kind, workload.name, workload.namespace, workload.replicas, workload);
  }

  static deployment(name: string, namespace: string): WorkloadTarget {
    return new WorkloadTarget('Deployment', name, namespace);
  }

  static statefulSet(name: string, namespace: string): WorkloadTarget {
    return new WorkloadTarget('StatefulSet', name, namespace);
  }

  private constructor(
    readonly kind: TargetKind,
    readonly name: string,
    readonly namespace: string,
    /** Replicas declared by the workload construct, when known. */
    readonly replicas?: number,
    /** The library workload behind the target, when it is one. */
    readonly workload?: Workload,
  ) {
    validateDnsLabel(name, 'target.name');
    validateDnsLabel(namespace, 'target.namespace');
  }

  /** `deployment/model-serving` (kubectl form). */
  get ref(): string { return `${this.kind.toLowerCase()}/${this.name}`; }

  /** Identity of the target for maps: kind, namespace and name. */
  get key(): string { return `${this.kind}/${this.namespace}/${this.name}`; }

  /** Regular expression matching the target's pod names (ReplicaSet hash + suffix, or ordinal). */
  get podRegex(): string {
    return this.kind === 'Deployment' ? `${this.name}-[a-z0-9]+-[a-z0-9]+` : `${this.name}-[0-9]+`;
  }

  /** PromQL label matchers selecting the target's pods. */
  get podMatchers(): string {
    return `namespace="${this.namespace}", pod=~"${this.podRegex}"`;
  }

  /** The workload object in the chart of `scope`, or undefined. */
  find(scope: IConstruct): ApiObject | undefined {
    return findApiObject(scope, this.kind, this.namespace, this.name);
  }

  /** Throws unless the chart of `scope` contains the workload (called when objects are rendered). */
  assertInChart(scope: IConstruct, prop = 'target'): void {
    if (!this.find(scope)) {
      throw invalid(prop, this.key, `a Deployment or StatefulSet defined in the chart (${Chart.of(scope).node.id})`);
    }
  }
}
