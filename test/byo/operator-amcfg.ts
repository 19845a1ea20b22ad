// What prometheus-operator v0.86 makes of an AlertmanagerConfig (pkg/alertmanager/amcfg.go,
// ConfigBuilder.AddAlertmanagerConfigs), written by hand from its source so that amtool can run
// the routing the operator would really load. Only what the library's AlertmanagerConfig uses is
// translated; anything else throws, so a new field cannot be silently dropped.
import { Manifest } from '../support/synth.js';

type Matcher = { name: string; value: string; matchType: '=' | '!=' | '=~' | '!~' };
type Route = Record<string, unknown>;

/** v1alpha1 Matcher.String(): `name<op>"value"`, the value OpenMetrics-escaped. */
const matcherString = (m: Matcher) => `${m.name}${m.matchType}"${m.value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`;

function matchers(ms: Matcher[] | undefined): string[] | undefined {
  if (!ms?.length) return undefined;
  return ms.map((m) => {
    if (!m.matchType) throw new Error(`matcher ${m.name} without matchType: not translated`);
    return matcherString(m);
  });
}

const ROUTE_FIELDS = new Set(['receiver', 'groupBy', 'groupWait', 'groupInterval', 'repeatInterval', 'matchers', 'continue', 'routes']);

/** convertRoute: receivers become `<namespace>/<name>/<receiver>` (makeNamespacedString), child routes recursively. */
function convertRoute(r: Record<string, any>, prefix: string): Route {
  for (const k of Object.keys(r)) if (!ROUTE_FIELDS.has(k)) throw new Error(`route field ${k}: not translated`);
  const out: Route = {
    receiver: r.receiver ? `${prefix}${r.receiver}` : undefined,
    group_by: r.groupBy, group_wait: r.groupWait, group_interval: r.groupInterval, repeat_interval: r.repeatInterval,
    continue: r.continue, matchers: matchers(r.matchers),
    routes: r.routes?.map((c: Record<string, any>) => convertRoute(c, prefix)),
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

/**
 * Receivers with placeholder values where the operator would read the Secret keys (it resolves
 * them from the AlertmanagerConfig's namespace): routing only depends on the names.
 */
function convertReceiver(r: Record<string, any>, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = { name: `${prefix}${r.name}` };
  for (const [k, v] of Object.entries(r)) {
    if (k === 'name') continue;
    const configs = v as Array<Record<string, any>>;
    if (k === 'pagerdutyConfigs') out.pagerduty_configs = configs.map((c) => ({ routing_key: 'from-secret', send_resolved: c.sendResolved }));
    else if (k === 'slackConfigs') out.slack_configs = configs.map((c) => ({ api_url: 'https://hooks.slack.com/services/from-secret', channel: c.channel, send_resolved: c.sendResolved }));
    else if (k === 'webhookConfigs') {
      out.webhook_configs = configs.map((c) => ({
        url: c.url ?? 'https://tickets.example.com/from-secret', send_resolved: c.sendResolved, max_alerts: c.maxAlerts,
        // convertHTTPConfig: authorization.credentials read from the Secret.
        http_config: c.httpConfig && { authorization: { type: c.httpConfig.authorization.type, credentials: 'from-secret' } },
      }));
    } else if (k === 'emailConfigs') {
      out.email_configs = configs.map((c) => ({
        to: c.to, from: c.from, smarthost: c.smarthost, require_tls: c.requireTLS, send_resolved: c.sendResolved,
        auth_username: c.authUsername, auth_password: c.authPassword && 'from-secret',
      }));
    } else if (k === 'opsgenieConfigs') {
      out.opsgenie_configs = configs.map((c) => ({ api_key: 'from-secret', priority: c.priority, send_resolved: c.sendResolved }));
    } else throw new Error(`receiver field ${k}: not translated`);
  }
  return JSON.parse(JSON.stringify(out)); // drops the fields left undefined
}

/** The Alertmanager configuration the operator generates from `base` plus the AlertmanagerConfig objects. */
export function operatorConfig(base: Record<string, any>, amConfigs: Manifest[], strategy: 'OnNamespace' | 'None' = 'OnNamespace'): Record<string, any> {
  const cfg = structuredClone(base);
  const subRoutes: Route[] = [];
  // sortutil.SortedKeys: objects in the order of their `<namespace>/<name>` key.
  const sorted = [...amConfigs].sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
  for (const amc of sorted) {
    const ns: string = amc.metadata.namespace;
    const prefix = `${ns}/${amc.metadata.name}/`;
    const nsMatcher = matcherString({ name: 'namespace', value: ns, matchType: '=' });
    for (const ir of amc.spec.inhibitRules ?? []) {
      const rule: Record<string, unknown> = { source_matchers: matchers(ir.sourceMatch) ?? [], target_matchers: matchers(ir.targetMatch) ?? [], equal: ir.equal };
      if (strategy === 'OnNamespace') {
        // namespaceEnforcer.processInhibitRule: the namespace matcher on both sides, unless already there.
        for (const side of ['source_matchers', 'target_matchers'] as const) {
          const list = rule[side] as string[];
          if (!list.includes(nsMatcher)) list.push(nsMatcher);
        }
      }
      (cfg.inhibit_rules ??= []).push(rule);
    }
    if (!amc.spec.route) continue;
    const route = convertRoute(amc.spec.route, prefix);
    // namespaceEnforcer.processRoute, then continueToNextRoute: `continue: true` on the top route.
    if (strategy === 'OnNamespace') route.matchers = [...((route.matchers as string[] | undefined) ?? []), nsMatcher];
    route.continue = true;
    subRoutes.push(route);
    for (const r of amc.spec.receivers ?? []) (cfg.receivers ??= []).push(convertReceiver(r, prefix));
  }
  // The AlertmanagerConfig routes come first; alerts fall through them (continue: true).
  cfg.route.routes = [...subRoutes, ...(cfg.route.routes ?? [])];
  return cfg;
}

/**
 * kube-prometheus-stack's default `alertmanager.config` (the chart's values): everything to the
 * `null` receiver, the Watchdog too. Hand-written; the operator merges AlertmanagerConfigs into it.
 */
export const KUBE_PROMETHEUS_STACK_BASE = {
  route: {
    group_by: ['namespace'], group_wait: '30s', group_interval: '5m', repeat_interval: '12h', receiver: 'null',
    routes: [{ receiver: 'null', matchers: ['alertname = "Watchdog"'] }],
  },
  receivers: [{ name: 'null' }],
};
