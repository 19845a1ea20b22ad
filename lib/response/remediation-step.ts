import type { IPolicyRule } from 'kubernetes-models/rbac.authorization.k8s.io/v1/PolicyRule';
import { ApiObject } from 'cdk8s';
import { invalid, show } from '../core/errors.js';
import { IMAGES, requirePinnedImage } from '../core/images.js';
import { validateDnsLabel } from '../core/names.js';
import { validatePromQL } from '../core/promql.js';
import { requireUrlWithoutCredential } from '../core/secrets.js';
import { restrictedContainerSecurityContext } from '../core/workload.js';
import { WorkloadTarget } from './target.js';


type Json = Record<string, any>;

/** Which direction of the measured value counts as an improvement. */
export type Better = 'lower' | 'higher';

/** How a step's effect is judged: a query measured before the step and again after it settles. */
export class ImpactCheck {
  /** The rule's condition query; lower is better (less memory pressure, lower latency). */
  static condition(): ImpactCheck { return new ImpactCheck(undefined, 'lower'); }
  /** Any single-valued PromQL query. */
  static query(expr: string, better: Better): ImpactCheck {
    validatePromQL(expr, 'impact.query');
    if (better !== 'lower' && better !== 'higher') throw invalid('impact.better', better, "'lower' or 'higher'");
    return new ImpactCheck(expr, better);
  }
  /** No check and no rollback (for steps whose effect is not measurable, like a notification). */
  static none(): ImpactCheck { return new ImpactCheck(undefined, 'lower', false); }
  private constructor(readonly query: string | undefined, readonly better: Better, readonly enabled = true) {}
}

export interface StepOptions {
  /** DNS label, unique in the workflow; also the task and ServiceAccount name suffix. */
  readonly name: string;
  /** Steps that must finish (and be checked) first. @default - none: runs at once, in parallel */
  readonly dependsOn?: string[];
  /** @default ImpactCheck.condition() */
  readonly impact?: ImpactCheck;
}

/** An object of the chart a step acts on, by reference (checked when the workflow is synthesized). */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
}

/** A step rendered for one target: its container, its rollback, and the RBAC it needs. */
export interface RenderedStep {
  readonly container: Json;
  readonly rollback?: Json;
  /** Rules granted to the step's own ServiceAccount, in `rulesNamespace`. */
  readonly rules: IPolicyRule[];
  readonly rulesNamespace: string;
  /** Objects that must exist in the chart (besides the target). */
  readonly requires?: ObjectRef[];
}

export interface ContainerStepOptions extends StepOptions {
  readonly image: string;
  readonly command: string[];
  readonly args?: string[];
  /** RBAC the step needs; wildcards are refused by RbacGrant. @default - none */
  readonly rules?: IPolicyRule[];
  /** Namespace of `rules`. @default - the target's namespace */
  readonly rulesNamespace?: string;
  /** Command that undoes the step when its impact is negative. @default - none */
  readonly rollback?: { readonly command: string[]; readonly args?: string[] };
}

function container(image: string, command: string[], args?: string[]): Json {
  return {
    name: 'main',
    image: requirePinnedImage(image, 'step.image'),
    command,
    ...(args ? { args } : {}),
    // kubectl writes its discovery cache under $HOME; the root filesystem is read-only.
    env: [{ name: 'HOME', value: '/tmp' }],
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
    securityContext: restrictedContainerSecurityContext(),
  };
}

function apiGroup(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

function plural(kind: string): string {
  const k = kind.toLowerCase();
  if (k.endsWith('s')) return `${k}es`;
  if (k.endsWith('y')) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

const kubectl = (...args: string[]): string[] => ['kubectl', ...args];

/**
 * One user-defined step of a remediation workflow (seed 5.2 `plan.steps`). Each runs in its own
 * pod under its own ServiceAccount, granted only what the step does (verbs on named objects).
 */
export class RemediationStep {
  /**
   * Rolling restart of the target (`kubectl rollout restart`): drops in-process caches and leaked
   * memory without downtime. The seed's "trigger cache cleanup" for servers without a cache API.
   */
  static rolloutRestart(options: StepOptions): RemediationStep {
    return new RemediationStep(options, (t) => ({
      container: container(IMAGES.kubectl, kubectl('rollout', 'restart', t.ref, '-n', t.namespace)),
      rules: [{ apiGroups: ['apps'], resources: [plural(t.kind)], resourceNames: [t.name], verbs: ['get', 'patch'] }],
      rulesNamespace: t.namespace,
    }));
  }

  /**
   * Sets environment variables on the target (a rolling update), for feature switches such as
   * the seed's "enable request caching"; the rollback sets `rollbackEnv`.
   */
  static setEnv(options: StepOptions & { readonly env: Record<string, string>; readonly rollbackEnv?: Record<string, string> }): RemediationStep {
    const pairs = (env: Record<string, string>, prop: string) => {
      if (Object.keys(env).length === 0) throw invalid(prop, env, 'at least one variable');
      return Object.entries(env).map(([k, v]) => {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw invalid(`${prop}.${k}`, k, 'an environment variable name');
        return `${k}=${v}`;
      });
    };
    const set = pairs(options.env, 'env');
    const undo = options.rollbackEnv ? pairs(options.rollbackEnv, 'rollbackEnv') : undefined;
    return new RemediationStep(options, (t) => ({
      container: container(IMAGES.kubectl, kubectl('set', 'env', t.ref, '-n', t.namespace, ...set)),
      rollback: undo ? container(IMAGES.kubectl, kubectl('set', 'env', t.ref, '-n', t.namespace, ...undo)) : undefined,
      rules: [{ apiGroups: ['apps'], resources: [plural(t.kind)], resourceNames: [t.name], verbs: ['get', 'patch'] }],
      rulesNamespace: t.namespace,
    }));
  }

  /**
   * A JSON merge patch of one object of the chart, for example the seed's "route traffic":
   * `spec.trafficDistribution: PreferClose` on the model-serving Service keeps requests in the
   * caller's zone. `rollbackPatch` undoes it (use `null` to remove a field).
   */
  static patch(options: StepOptions & { readonly object: ApiObject | ObjectRef; readonly patch: Json; readonly rollbackPatch?: Json }): RemediationStep {
    const o: ObjectRef = options.object instanceof ApiObject
      ? { apiVersion: options.object.apiVersion, kind: options.object.kind, name: options.object.name, namespace: options.object.metadata.namespace ?? '' }
      : options.object;
    if (!o?.namespace) throw invalid('object', `${o?.kind}/${o?.name}`, 'a namespaced object');
    validateDnsLabel(o.namespace, 'object.namespace');
    const ref = `${o.kind.toLowerCase()}/${o.name}`;
    const patchArgs = (p: Json) => kubectl('patch', ref, '-n', o.namespace, '--type', 'merge', '-p', JSON.stringify(p));
    return new RemediationStep(options, () => ({
      container: container(IMAGES.kubectl, patchArgs(options.patch)),
      rollback: options.rollbackPatch ? container(IMAGES.kubectl, patchArgs(options.rollbackPatch)) : undefined,
      rules: [{ apiGroups: [apiGroup(o.apiVersion)], resources: [plural(o.kind)], resourceNames: [o.name], verbs: ['get', 'patch'] }],
      rulesNamespace: o.namespace,
      requires: [o],
    }));
  }

  /** {@link RemediationStep.patch} of the target's Service (same name and namespace as the workload by default). */
  static patchService(options: StepOptions & { readonly service?: string; readonly patch: Json; readonly rollbackPatch?: Json }): RemediationStep {
    return new RemediationStep(options, (t) => RemediationStep.patch({
      ...options,
      object: { apiVersion: 'v1', kind: 'Service', name: options.service ?? t.name, namespace: t.namespace },
    }).render(t));
  }

  /** An HTTP call to the application (for servers with an admin API, like a cache purge). No RBAC. */
  static httpRequest(options: StepOptions & { readonly url: string; readonly method?: 'POST' | 'PUT' | 'DELETE' | 'GET' }): RemediationStep {
    requireUrlWithoutCredential('url', options.url);
    if (!/^https?:\/\/[^\s]+$/.test(options.url)) throw invalid('url', options.url, 'an http(s) URL');
    return new RemediationStep(options, (t) => ({
      container: container(IMAGES.curl, ['curl', '-fsS', '--max-time', '30', '-X', options.method ?? 'POST', options.url]),
      rules: [],
      rulesNamespace: t.namespace,
    }));
  }

  /** Any container; `rules` are granted to its ServiceAccount in the target's namespace. */
  static container(options: ContainerStepOptions): RemediationStep {
    if (!options.command?.length) throw invalid(`steps.${options.name}.command`, options.command, 'a non-empty command');
    requirePinnedImage(options.image, 'step.image');
    return new RemediationStep(options, (t) => ({
      container: container(options.image, options.command, options.args),
      rollback: options.rollback ? container(options.image, options.rollback.command, options.rollback.args) : undefined,
      rules: options.rules ?? [],
      rulesNamespace: options.rulesNamespace ?? t.namespace,
    }));
  }

  readonly name: string;
  readonly dependsOn: readonly string[];
  readonly impact: ImpactCheck;

  private constructor(options: StepOptions, private readonly renderer: (target: WorkloadTarget) => RenderedStep) {
    this.name = validateDnsLabel(options.name, 'steps.name');
    if (this.name.length > 40) throw invalid('steps.name', options.name, 'at most 40 characters (it prefixes task and ServiceAccount names)');
    this.dependsOn = options.dependsOn ?? [];
    if (!Array.isArray(this.dependsOn)) throw invalid(`steps.${this.name}.dependsOn`, show(options.dependsOn), 'a list of step names');
    this.impact = options.impact ?? ImpactCheck.condition();
  }

  /** The step's containers and RBAC for one target workload. */
  render(target: WorkloadTarget): RenderedStep {
    return this.renderer(target);
  }
}
