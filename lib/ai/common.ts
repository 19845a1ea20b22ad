import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { invalid, requireNumber, ValidationError } from '../core/errors.js';
import { K8sObject } from '../core/k8s-object.js';
import { FLOWS, NetworkFlow, NetworkPeer, PodsRef } from '../core/network.js';
import { RuleSet } from '../core/rules.js';

/**
 * The pods that scrape AI workloads: a `MetricsStack` (or any {@link PodsRef}). Scraped
 * workloads allow ingress from these pods only; `allowEgress`, when present (MetricsStack has
 * it), lets the monitors open egress for targets outside the cluster (Pinecone).
 */
export interface ScraperRef extends PodsRef {
  allowEgress?(flow: NetworkFlow): void;
}

/** A warning and a critical level of one alert. */
export interface Threshold {
  readonly warning: number;
  readonly critical: number;
}

/** Throws on an option key the preset does not know (typos must not be silently ignored). */
export function checkOptions(prop: string, options: object | undefined, allowed: readonly string[]): void {
  for (const key of Object.keys(options ?? {})) {
    if (!allowed.includes(key)) throw invalid(`${prop}.${key}`, key, `one of the known options (${allowed.join(', ')})`);
  }
}

/** Merges partial thresholds over defaults and checks every number (and warning before critical). */
export function resolveThresholds<T extends object>(prop: string, defaults: T, given: Partial<T> | undefined): T {
  checkOptions(prop, given, Object.keys(defaults));
  const out = { ...defaults, ...(given ?? {}) } as Record<string, unknown>;
  for (const [key, value] of Object.entries(out)) {
    if (typeof value === 'number') requireNumber(`${prop}.${key}`, value, 0);
    else {
      const t = value as Threshold;
      requireNumber(`${prop}.${key}.warning`, t?.warning, 0);
      requireNumber(`${prop}.${key}.critical`, t?.critical, 0);
    }
  }
  return out as T;
}

/** Checks the order of a threshold pair for metrics where higher is worse. */
export function requireAscending(prop: string, t: Threshold): void {
  if (t.warning > t.critical) throw invalid(`${prop}.critical`, t.critical, `at least the warning level (${t.warning})`);
}

/**
 * A rule set shared by every construct of one kind in a chart (for example all vLLM model
 * servers): created by the first user, found by id afterwards. This keeps the rules of 1,000
 * monitors in one PrometheusRule instead of 1,000 copies of the same expressions.
 */
export function sharedRuleSet(scope: Construct, id: string, profile: string, fingerprint: string, create: (chart: Chart) => RuleSet): RuleSet {
  const chart = Chart.of(scope);
  const existing = chart.node.tryFindChild(id) as SharedRules | undefined;
  if (existing) {
    if (existing.fingerprint !== fingerprint) {
      throw new ValidationError(`'profile' must name one set of settings, got '${profile}' twice with different settings; give one of them another profile name`);
    }
    return existing.rules;
  }
  return new SharedRules(chart, id, fingerprint, create).rules;
}

class SharedRules extends Construct {
  readonly rules: RuleSet;
  constructor(chart: Chart, id: string, readonly fingerprint: string, create: (chart: Chart) => RuleSet) {
    super(chart, id);
    this.rules = create(chart);
  }
}

export interface ScrapeIngressProps {
  readonly name: string;
  readonly namespace: string;
  readonly podLabels: Record<string, string>;
  readonly port: string | number;
  readonly scraper: PodsRef;
}

/**
 * Lets Prometheus reach the metrics port of pods this library does not run (model servers,
 * vector stores, training jobs). Ingress-only on purpose: the pods' egress is the owner's
 * business. Like every NetworkPolicy it isolates the selected pods for ingress, so their other
 * clients need their own allow (in a default-deny namespace they already have one).
 */
export class ScrapeIngress extends Construct {
  constructor(scope: Construct, id: string, props: ScrapeIngressProps) {
    super(scope, id);
    new K8sObject(this, 'Resource', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `${props.name}-allow-scrape`, namespace: props.namespace },
      spec: {
        podSelector: { matchLabels: props.podLabels },
        policyTypes: ['Ingress'],
        ingress: [{ from: [NetworkPeer.of(props.scraper).peer], ports: [{ port: props.port, protocol: 'TCP' }] }],
      },
    });
  }
}

/** A scrape endpoint port: a container port name, or a number (rendered as `portNumber`). */
export function endpointPort(port: string | number): { port: string; extra: Record<string, unknown> } {
  // monitors.ts always writes `port`; an undefined value is dropped at synthesis, so a numeric
  // port is rendered as prometheus-operator's `portNumber` alone.
  return typeof port === 'number'
    ? { port: undefined as unknown as string, extra: { portNumber: port } }
    : { port, extra: {} };
}

/** A container port: a number 1-65535 or an IANA service name (at most 15 characters). */
export function validatePort(prop: string, port: string | number): string | number {
  if (typeof port === 'number') {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalid(prop, port, 'a port number between 1 and 65535 or a port name');
    return port;
  }
  if (typeof port !== 'string' || !/^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(port) || !/[a-z]/.test(port)) {
    throw invalid(prop, port, 'a port number between 1 and 65535 or a port name of at most 15 lowercase letters, digits and "-"');
  }
  return port;
}

const httpsOpened = new WeakSet<object>();

/** Opens HTTPS egress from the scraper once, however many cloud targets need it. */
export function allowHttpsEgress(scraper: ScraperRef): void {
  if (!scraper.allowEgress || httpsOpened.has(scraper)) return;
  httpsOpened.add(scraper);
  scraper.allowEgress(FLOWS.httpsEgress());
}
