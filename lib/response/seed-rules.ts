import { ResponseAction } from './actions.js';
import type { AutomationRuleSpec } from './automation-rule.js';
import { Condition } from './condition.js';
import { RemediationStep } from './remediation-step.js';
import { WorkloadTarget } from './target.js';

export interface SeedAutomationOptions {
  /** Scale-out ceiling of the model-serving workload. @default 8 */
  readonly maxReplicas?: number;
  /** Environment switch the model server reads to cache responses. @default 'REQUEST_CACHE_ENABLED' */
  readonly requestCacheEnv?: string;
}

/**
 * The seed's `automation_rules.service_recovery` (section 5.1) for one model-serving workload,
 * with the remediation defaults of section 6.2 (parallelism 5, 3 retries, exponential backoff).
 * How each action maps to an engine, and why, is in docs/response.md.
 */
export function seedAutomationRules(target: WorkloadTarget, options: SeedAutomationOptions = {}): AutomationRuleSpec[] {
  const maxReplicas = options.maxReplicas ?? 8;
  const cacheEnv = options.requestCacheEnv ?? 'REQUEST_CACHE_ENABLED';
  return [
    {
      name: 'memory-pressure',
      target,
      condition: Condition.memoryPressure({ threshold: '85%', for: '5m' }),
      actions: [
        // "Trigger cache cleanup": a rolling restart frees in-process caches without an app API.
        ResponseAction.remediate(RemediationStep.rolloutRestart({ name: 'cache-cleanup' })),
        ResponseAction.scaleOut({ maxReplicas }),
        ResponseAction.notify(),
      ],
    },
    {
      name: 'high-latency',
      target,
      condition: Condition.latency({ threshold: '200ms', for: '3m' }),
      actions: [
        ResponseAction.remediate(RemediationStep.setEnv({
          name: 'enable-request-caching', env: { [cacheEnv]: 'true' }, rollbackEnv: { [cacheEnv]: 'false' },
        })),
        ResponseAction.increaseResources({ maxReplicas }),
        // "Route traffic": keep requests in the caller's zone (Service trafficDistribution).
        ResponseAction.remediate(RemediationStep.patchService({
          name: 'route-traffic',
          dependsOn: ['enable-request-caching'],
          patch: { spec: { trafficDistribution: 'PreferClose' } },
          rollbackPatch: { spec: { trafficDistribution: null } },
        })),
      ],
    },
  ];
}
