import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { invalid, requireInt, requireUnique } from '../core/errors.js';
import { K8sObject } from '../core/k8s-object.js';
import { validateDnsLabel } from '../core/names.js';
import { requireUrlWithoutCredential } from '../core/secrets.js';
import { promqlOperand, validatePromQL } from '../core/promql.js';
import { Duration } from '../core/units.js';
import { Workload } from '../core/workload.js';
import { KEDA_API_VERSION } from './schemas.js';
import { WorkloadTarget } from './target.js';
import { MAX_SCALED_REPLICAS } from '../core/workload.js';

export interface ScaleTrigger {
  /** Trigger name (the automation rule), unique per workload. */
  readonly name: string;
  /** PromQL returning one value; KEDA compares it with `threshold`. */
  readonly query: string;
  readonly threshold: number;
  /** The value must stay above the threshold this long before it counts (seed `duration`). */
  readonly for: Duration;
}

export interface WorkloadAutoscalerProps {
  readonly target: WorkloadTarget;
  /** Prometheus HTTP API KEDA queries, for example `MetricsStack.url`. */
  readonly prometheusUrl: string;
  /** @default - the replicas the workload construct declares, else 1 */
  readonly minReplicas?: number;
  /** @default - 4 times minReplicas */
  readonly maxReplicas?: number;
  /** Scale-down stabilization: replicas are only removed after load stayed low this long. @default '15m' */
  readonly scaleDownStabilization?: Duration | string;
  /** @default '30s' */
  readonly pollingInterval?: Duration | string;
}

/**
 * Event-driven scale-out of one workload with KEDA (seed 5.1 "scale out pods" and "increase
 * resources"): a `ScaledObject` with one Prometheus trigger per automation rule. KEDA admits only
 * one ScaledObject per workload, so all rules on a workload add triggers to the same object; the
 * HPA it creates follows the highest recommendation.
 *
 * Each trigger uses `metricType: Value`: desired = ceil(current x value / threshold), the HPA's
 * utilization formula, so at 90% memory pressure against 85% two pods become three. The seed's
 * duration is applied in the query (`min_over_time` over a subquery): only a value that stayed
 * above the threshold for the whole window scales out.
 */
export class WorkloadAutoscaler extends Construct {
  readonly target: WorkloadTarget;
  readonly minReplicas: number;
  private max: number;
  readonly resource: K8sObject;
  private readonly triggers: ScaleTrigger[] = [];

  constructor(scope: Construct, id: string, private readonly props: WorkloadAutoscalerProps) {
    super(scope, id);
    this.target = props.target;
    requireUrlWithoutCredential('prometheusUrl', props.prometheusUrl);
    if (!/^https?:\/\/[^\s/]+/.test(props.prometheusUrl)) throw invalid('prometheusUrl', props.prometheusUrl, 'an http(s) URL');
    this.minReplicas = requireInt('minReplicas', props.minReplicas ?? props.target.replicas ?? 1, 1, MAX_SCALED_REPLICAS);
    this.max = requireInt('maxReplicas', props.maxReplicas ?? Math.min(MAX_SCALED_REPLICAS, this.minReplicas * 4), this.minReplicas, MAX_SCALED_REPLICAS);
    const stabilization = Duration.of(props.scaleDownStabilization ?? '15m', 'scaleDownStabilization');
    const polling = Duration.of(props.pollingInterval ?? '30s', 'pollingInterval');
    if (polling.milliseconds < 1000) throw invalid('pollingInterval', props.pollingInterval, 'at least 1s');
    // KEDA's HPA owns the scale from now on: the workload must not also declare it (a re-apply
    // would reset the scaled count). A target named by string is released when the library
    // built it; a Deployment written elsewhere must omit `spec.replicas` itself (README).
    const built = props.target.workload ?? props.target.find(this)?.node.scope;
    if (built instanceof Workload) built.releaseReplicasTo(`ScaledObject/${props.target.namespace}/${props.target.name}`);
    this.resource = new K8sObject(this, 'Resource', {
      apiVersion: KEDA_API_VERSION,
      kind: 'ScaledObject',
      metadata: { name: validateDnsLabel(props.target.name, 'target.name'), namespace: props.target.namespace },
      spec: Lazy.any({
        produce: () => {
          this.target.assertInChart(this, 'target');
          if (this.triggers.length === 0) throw invalid('triggers', [], `at least one trigger on ScaledObject ${this.target.key}`);
          return {
            scaleTargetRef: { apiVersion: 'apps/v1', kind: this.target.kind, name: this.target.name },
            minReplicaCount: this.minReplicas,
            maxReplicaCount: this.max,
            pollingInterval: polling.seconds,
            advanced: {
              horizontalPodAutoscalerConfig: {
                behavior: { scaleDown: { stabilizationWindowSeconds: stabilization.seconds } },
              },
            },
            triggers: this.triggers.map((t) => ({
              type: 'prometheus',
              name: t.name,
              metricType: 'Value',
              metadata: {
                serverAddress: this.props.prometheusUrl,
                query: WorkloadAutoscaler.sustained(t),
                threshold: String(t.threshold),
              },
            })),
          };
        },
      }),
    });
  }

  get maxReplicas(): number { return this.max; }

  /**
   * The query as KEDA reads it: NaN (no traffic, so no latency quantile) and an empty result
   * become 0, which keeps the HPA at its floor instead of failing; then `min_over_time` over the
   * trigger's duration, so only a value high for the whole window scales out.
   */
  static sustained(t: ScaleTrigger): string {
    const defined = `${promqlOperand(t.query)} >= 0 or vector(0)`;
    return t.for.milliseconds > 0 ? `min_over_time((${defined})[${t.for.toPrometheus()}:30s])` : defined;
  }

  /** Adds a rule's trigger; `maxReplicas` raises the ceiling when a rule asks for more. */
  addTrigger(trigger: ScaleTrigger, maxReplicas?: number): this {
    validateDnsLabel(trigger.name, 'trigger.name');
    requireUnique('triggers', trigger.name, this.triggers.map((t) => t.name));
    validatePromQL(WorkloadAutoscaler.sustained(trigger), `triggers.${trigger.name}.query`);
    if (!(trigger.threshold > 0)) throw invalid(`triggers.${trigger.name}.threshold`, trigger.threshold, 'a number above 0');
    if (maxReplicas !== undefined) this.max = Math.max(this.max, requireInt('maxReplicas', maxReplicas, this.minReplicas, MAX_SCALED_REPLICAS));
    this.triggers.push(trigger);
    return this;
  }
}
