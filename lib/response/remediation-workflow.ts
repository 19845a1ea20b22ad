import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { invalid, requireInt, requireNumber, requireString, requireUnique } from '../core/errors.js';
import { K8sObject } from '../core/k8s-object.js';
import { findApiObject } from '../core/chart-index.js';
import { validateDnsLabel } from '../core/names.js';
import { requireUrlWithoutCredential } from '../core/secrets.js';
import { RbacGrant } from '../core/rbac.js';
import { Duration } from '../core/units.js';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../core/workload.js';
import { topologicalOrder } from './dag.js';
import { IMAGES } from '../core/images.js';
import { RemediationStep, RenderedStep } from './remediation-step.js';
import { ARGO_API_VERSION } from './schemas.js';
import { WorkloadTarget } from './target.js';

type Json = Record<string, any>;

/** Labels of every remediation pod (the NetworkPolicy of IncidentResponse selects them). */
export const REMEDIATION_POD_LABELS: Readonly<Record<string, string>> = { 'app.kubernetes.io/name': 'remediation' };

export interface BackoffOptions {
  /** First wait between attempts. @default '30s' */
  readonly duration?: Duration | string;
  /** Multiplier per attempt (exponential backoff, seed 6.2). @default 2 */
  readonly factor?: number;
  /** Give up retrying after this long. @default '10m' */
  readonly maxDuration?: Duration | string;
}

export interface RemediationWorkflowProps {
  /** Name of the WorkflowTemplate (and prefix of its ServiceAccounts). */
  readonly name: string;
  /** Namespace the workflows run in (where Argo Events submits them). */
  readonly namespace: string;
  /** Workload the steps act on. */
  readonly target: WorkloadTarget;
  /** Automation rule the workflow belongs to (label of the escalation alert). */
  readonly rule: string;
  /** Prometheus HTTP API for impact checks, for example `MetricsStack.url`. */
  readonly prometheusUrl: string;
  /** Alertmanager API that receives the escalation alert. */
  readonly alertmanagerUrl: string;
  /** Query of the rule's condition: the default impact check. */
  readonly conditionQuery: string;
  readonly steps?: RemediationStep[];
  /** Pods running at once (seed 6.2 `max_concurrent`). @default 5 */
  readonly parallelism?: number;
  /** Retries of a failed step (seed 6.2 `retry_attempts`). @default 3 */
  readonly retries?: number;
  /** @default exponential: 30s, factor 2, at most 10m */
  readonly backoff?: BackoffOptions;
  /** Wait after a step before measuring its impact. @default '2m' */
  readonly settleTime?: Duration | string;
  /** How long a finished workflow is kept, which blocks the next one of the same rule. @default '15m' */
  readonly cooldown?: Duration | string;
  /** Deadline of a whole run. @default '30m' */
  readonly timeout?: Duration | string;
}

// Prints scalar(<QUERY>) from the Prometheus HTTP API, or NaN when there is no answer.
const MEASURE = `q() { curl -fsS --max-time 10 -G "$PROMETHEUS_URL/api/v1/query" --data-urlencode "query=scalar($QUERY)" \\
  | sed -n 's/.*"result":\\[[^,]*,"\\([^"]*\\)"\\].*/\\1/p'; }
v=$(q) || v=""
`;
/** Shell of the `measure` template: prints the current value of $QUERY. */
export const MEASURE_SCRIPT = `${MEASURE}echo "\${v:-NaN}"\n`;
/** Shell of the `impact` template: waits, measures again and prints positive, negative or unknown. */
export const IMPACT_SCRIPT = `sleep "$SETTLE_SECONDS"
${MEASURE}awk -v b="$BEFORE" -v a="\${v:-NaN}" -v better="$BETTER" 'BEGIN {
  num = "^-?[0-9]+([.][0-9]+)?([eE][-+]?[0-9]+)?$"
  if (b !~ num || a !~ num) { print "unknown"; exit }
  if ((better == "lower" && a + 0 < b + 0) || (better == "higher" && a + 0 > b + 0)) print "positive"; else print "negative"
}'
`;
/** Shell of the exit handler: posts a critical alert to Alertmanager's v2 API. */
export const ESCALATE_SCRIPT = `set -eu
incident=$(printf '%s' "$INCIDENT" | tr -cd 'A-Za-z0-9_.-')
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
body=$(printf '[{"labels":{"alertname":"RemediationFailed","automation_rule":"%s","workflow":"%s","severity":"critical","incident_class":"critical"},"annotations":{"summary":"Automated remediation %s ended %s","description":"Workflow %s (incident %s) did not complete; an operator must take over."},"startsAt":"%s"}]' \\
  "$RULE" "$WORKFLOW" "$RULE" "$STATUS" "$WORKFLOW" "$incident" "$now")
curl -fsS --max-time 10 --retry 3 -X POST -H 'Content-Type: application/json' --data "$body" "$ALERTMANAGER_URL/api/v2/alerts"
`;

function positive(value: Duration | string, prop: string): Duration {
  const d = Duration.of(value, prop);
  if (d.milliseconds === 0) throw invalid(prop, value, 'a duration above 0s');
  return d;
}

/** A duration Argo writes as int32 seconds (activeDeadlineSeconds, ttlStrategy): whole seconds, at most 2^31-1. */
function argoSeconds(value: Duration | string, prop: string): Duration {
  const d = positive(value, prop);
  if (!Number.isInteger(d.seconds) || d.seconds > 2_147_483_647) throw invalid(prop, value, 'a whole number of seconds between 1s and 2147483647s (Argo stores it as int32 seconds)');
  return d;
}

/**
 * The remediation plan of one automation rule as an Argo `WorkflowTemplate` (seed 5.2 and 6.2):
 * a DAG of user-defined steps run at most `parallelism` pods at a time, each step retried with
 * exponential backoff, measured before and after (impact check) and rolled back when the impact
 * is not positive; a failed step stops the DAG and the exit handler escalates to Alertmanager.
 * Each step runs under its own ServiceAccount with only the verbs it needs on named objects.
 */
export class RemediationWorkflow extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly parallelism: number;
  readonly retries: number;
  readonly cooldown: Duration;
  readonly settleTime: Duration;
  readonly timeout: Duration;
  readonly resource: K8sObject;
  private readonly steps: RemediationStep[] = [];
  private readonly rendered = new Map<string, RenderedStep>();
  private readonly backoff: Json;
  private readonly observer: string;

  constructor(scope: Construct, id: string, private readonly props: RemediationWorkflowProps) {
    super(scope, id);
    this.name = validateDnsLabel(props.name, 'name');
    this.namespace = validateDnsLabel(props.namespace, 'namespace');
    this.parallelism = requireInt('parallelism', props.parallelism ?? 5, 1, 100);
    this.retries = requireInt('retries', props.retries ?? 3, 0, 10);
    const b = props.backoff ?? {};
    this.backoff = {
      duration: positive(b.duration ?? '30s', 'backoff.duration').toGo(),
      factor: requireNumber('backoff.factor', b.factor ?? 2, 1),
      maxDuration: positive(b.maxDuration ?? '10m', 'backoff.maxDuration').toGo(),
    };
    if (!Number.isInteger(this.backoff.factor)) throw invalid('backoff.factor', b.factor, 'a whole number >= 1 (Argo takes an integer factor)');
    this.settleTime = Duration.of(props.settleTime ?? '2m', 'settleTime');
    requireString('rule', props.rule, true);
    requireString('conditionQuery', props.conditionQuery, true);
    this.cooldown = argoSeconds(props.cooldown ?? '15m', 'cooldown');
    this.timeout = argoSeconds(props.timeout ?? '30m', 'timeout');
    for (const [prop, url] of [['prometheusUrl', props.prometheusUrl], ['alertmanagerUrl', props.alertmanagerUrl]]) {
      requireUrlWithoutCredential(prop, url);
      if (!/^https?:\/\/[^\s/]+/.test(url)) throw invalid(prop, url, 'an http(s) URL');
    }
    this.observer = this.serviceAccount('observer', 'Observer', []);
    // The whole graph first, so a cycle is reported as a cycle whatever the order of the steps.
    topologicalOrder(props.steps ?? [], 'steps');
    (props.steps ?? []).forEach((s) => this.addStep(s));

    this.resource = new K8sObject(this, 'Resource', {
      apiVersion: ARGO_API_VERSION,
      kind: 'WorkflowTemplate',
      metadata: { name: this.name, namespace: this.namespace },
      spec: Lazy.any({ produce: () => this.renderSpec() }),
    });
  }

  /** Step names in the order they were added. */
  get stepNames(): string[] { return this.steps.map((s) => s.name); }

  /** Adds a step; the DAG is checked again (unknown dependencies and cycles throw here). */
  addStep(step: RemediationStep): this {
    requireUnique('steps', step.name, this.stepNames);
    topologicalOrder([...this.steps, step], 'steps');
    const rendered = step.render(this.props.target);
    this.steps.push(step);
    this.rendered.set(step.name, rendered);
    this.serviceAccount(step.name, `Step-${step.name}`, rendered.rules, rendered.rulesNamespace);
    return this;
  }

  /** A ServiceAccount for one kind of pod: the executor's rights here, the action's where it acts. */
  private serviceAccount(suffix: string, id: string, rules: RenderedStep['rules'], rulesNamespace?: string): string {
    const name = `${this.name}-${suffix}`;
    const scope = new Construct(this, id);
    new K8sObject(scope, 'ServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: this.namespace } });
    // Argo's executor (wait container) reports results through WorkflowTaskResults.
    new RbacGrant(scope, 'Executor', {
      name, serviceAccount: name, serviceAccountNamespace: this.namespace, namespace: this.namespace,
      rules: [{ apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] }],
    });
    if (rules.length > 0) {
      new RbacGrant(scope, 'Action', {
        name: `${name}-action`, serviceAccount: name, serviceAccountNamespace: this.namespace,
        namespace: rulesNamespace ?? this.namespace, rules,
      });
    }
    return name;
  }

  private script(name: string, source: string, env: Json[], inputs: string[]): Json {
    return {
      name,
      serviceAccountName: this.observer,
      ...(inputs.length ? { inputs: { parameters: inputs.map((p) => ({ name: p })) } } : {}),
      script: {
        name: 'main',
        image: IMAGES.curl,
        command: ['sh'],
        source,
        env,
        resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '32Mi' } },
        securityContext: restrictedContainerSecurityContext(),
      },
    };
  }

  private renderSpec(): Json {
    const order = topologicalOrder(this.steps, 'steps');
    if (order.length === 0) throw invalid('steps', [], `at least one step in remediation workflow '${this.name}'`);
    this.props.target.assertInChart(this, 'target');
    for (const [step, r] of this.rendered) {
      for (const o of r.requires ?? []) {
        if (!findApiObject(this, o.kind, o.namespace, o.name)) {
          throw invalid(`steps.${step}.object`, `${o.kind}/${o.namespace}/${o.name}`, 'an object defined in the chart');
        }
      }
    }
    const retryStrategy = { limit: this.retries, retryPolicy: 'Always', backoff: this.backoff };
    const byName = new Map(this.steps.map((s) => [s.name, s]));
    const done = (s: RemediationStep) => (!s.impact.enabled ? s.name : this.rendered.get(s.name)!.rollback ? `${s.name}-rollback` : `${s.name}-impact`);
    const tasks: Json[] = [];
    const templates: Json[] = [];
    for (const name of order) {
      const step = byName.get(name)!;
      const r = this.rendered.get(name)!;
      const sa = `${this.name}-${name}`;
      const after = step.dependsOn.map((d) => done(byName.get(d)!)).join(' && ');
      const query = step.impact.query ?? this.props.conditionQuery;
      templates.push({ name, serviceAccountName: sa, retryStrategy, container: r.container });
      if (!step.impact.enabled) {
        tasks.push({ name, template: name, ...(after ? { depends: after } : {}) });
        continue;
      }
      tasks.push({ name: `${name}-before`, template: 'measure', ...(after ? { depends: after } : {}), arguments: { parameters: [{ name: 'query', value: query }] } });
      tasks.push({ name, template: name, depends: `${name}-before` });
      tasks.push({
        name: `${name}-impact`, template: 'impact', depends: name,
        arguments: { parameters: [
          { name: 'query', value: query },
          { name: 'before', value: `{{tasks.${name}-before.outputs.result}}` },
          { name: 'better', value: step.impact.better },
        ] },
      });
      if (r.rollback) {
        templates.push({ name: `${name}-rollback`, serviceAccountName: sa, retryStrategy, container: r.rollback });
        tasks.push({ name: `${name}-rollback`, template: `${name}-rollback`, depends: `${name}-impact`, when: `{{tasks.${name}-impact.outputs.result}} == negative` });
      }
    }
    const prometheus = { name: 'PROMETHEUS_URL', value: this.props.prometheusUrl };
    const query = { name: 'QUERY', value: '{{inputs.parameters.query}}' };
    return {
      entrypoint: 'main',
      onExit: 'escalate',
      serviceAccountName: this.observer,
      parallelism: this.parallelism,
      activeDeadlineSeconds: this.timeout.seconds,
      // Kept for the cooldown: the Sensor submits under a fixed name, so while this run exists a
      // second alert notification fails to create another one instead of starting a storm.
      ttlStrategy: { secondsAfterCompletion: this.cooldown.seconds },
      // Failed runs keep their pods (and logs) until the workflow itself is removed.
      podGC: { strategy: 'OnWorkflowSuccess' },
      podMetadata: { labels: { ...REMEDIATION_POD_LABELS, 'app.kubernetes.io/instance': this.name } },
      securityContext: restrictedPodSecurityContext(),
      volumes: [{ name: 'tmp', emptyDir: {} }],
      arguments: { parameters: [{ name: 'incident', value: 'manual' }] },
      templates: [
        { name: 'main', dag: { tasks } },
        ...templates,
        this.script('measure', MEASURE_SCRIPT, [prometheus, query], ['query']),
        this.script('impact', IMPACT_SCRIPT, [
          prometheus, query,
          { name: 'BEFORE', value: '{{inputs.parameters.before}}' },
          { name: 'BETTER', value: '{{inputs.parameters.better}}' },
          { name: 'SETTLE_SECONDS', value: String(this.settleTime.seconds) },
        ], ['query', 'before', 'better']),
        // A DAG rather than `steps`: same semantics, and the kubernetes-models schema mis-types `steps`.
        { name: 'escalate', dag: { tasks: [{ name: 'notify', template: 'escalate-notify', when: '{{workflow.status}} != Succeeded' }] } },
        this.script('escalate-notify', ESCALATE_SCRIPT, [
          { name: 'ALERTMANAGER_URL', value: this.props.alertmanagerUrl },
          { name: 'RULE', value: this.props.rule },
          { name: 'WORKFLOW', value: '{{workflow.name}}' },
          { name: 'STATUS', value: '{{workflow.status}}' },
          { name: 'INCIDENT', value: '{{workflow.parameters.incident}}' },
        ], []),
      ],
    };
  }
}
