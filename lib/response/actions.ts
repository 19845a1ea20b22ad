import { requireInt } from '../core/errors.js';
import { RemediationStep } from './remediation-step.js';
import { MAX_SCALED_REPLICAS } from '../core/workload.js';

/**
 * One action of an automation rule (seed 5.1 `actions`), mapped to the engine that performs it:
 * scaling to a KEDA trigger, notification to alert routing, everything else to a step of the
 * rule's remediation workflow.
 */
export class ResponseAction {
  /** "Scale out pods": a KEDA Prometheus trigger on the rule's condition. */
  static scaleOut(options: { readonly maxReplicas?: number } = {}): ResponseAction {
    return new ResponseAction('scale', 'scale-out', undefined, ResponseAction.max(options.maxReplicas));
  }

  /**
   * "Increase resources": more replicas of the same size. KEDA scales horizontally only, and
   * changing requests in place would restart every pod during the incident; vertical sizing
   * stays a capacity-planning decision (see docs/response.md).
   */
  static increaseResources(options: { readonly maxReplicas?: number } = {}): ResponseAction {
    return new ResponseAction('scale', 'increase-resources', undefined, ResponseAction.max(options.maxReplicas));
  }

  /** "Notify operations": the rule's alert is routed to operations by its incident class. */
  static notify(): ResponseAction {
    return new ResponseAction('notify', 'notify');
  }

  /** Any remediation: a step of the rule's Argo workflow. */
  static remediate(step: RemediationStep): ResponseAction {
    return new ResponseAction('remediate', step.name, step);
  }

  private static max(n: number | undefined): number | undefined {
    return n === undefined ? undefined : requireInt('maxReplicas', n, 1, MAX_SCALED_REPLICAS);
  }

  private constructor(
    readonly kind: 'scale' | 'notify' | 'remediate',
    readonly label: string,
    readonly step?: RemediationStep,
    readonly maxReplicas?: number,
  ) {}
}
