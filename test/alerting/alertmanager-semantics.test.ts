import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { IncidentRouting, IncidentRoutingProps, Receiver, RouteSpec } from '../../lib/alerting/index.js';
import { newChart } from '../support/synth.js';
import { describeWithTool, run, tmpDir } from '../support/tools.js';

type Config = Record<string, any>;

const receivers = (extra: Receiver[] = []) => [
  Receiver.pagerDuty('immediate', { routingKey: { name: 'pagerduty', key: 'routing-key' } }),
  Receiver.slack('tier-2', { apiUrl: { name: 'slack', key: 'url' }, channel: '#ai-incidents' }),
  Receiver.email('tier-1', { to: 'oncall@example.com', from: 'am@example.com', smarthost: 'smtp.example.com:587' }),
  Receiver.webhook('hook', { url: 'http://hook.automation.svc:12000/alerts' }),
  ...extra,
];

function routing(props: Partial<IncidentRoutingProps> = {}, route?: RouteSpec): IncidentRouting {
  const r = new IncidentRouting(newChart(), 'Routing', { receivers: receivers(), ...props });
  if (route) r.addRoute(route);
  return r;
}

/** A valid configuration with one field changed: what the library would write without its check. */
function mutated(change: (c: Config) => void): Config {
  const c = routing({}, { matchers: { alertname: 'X' }, receiver: 'hook' }).renderConfig() as Config;
  change(c);
  return c;
}
const receiver = (c: Config, name: string) => c.receivers.find((r: Config) => r.name === name);

interface Row {
  readonly description: string;
  readonly build: () => unknown;
  readonly prop: string;
  readonly expected: string;
  /** How the deployed Alertmanager sees the same mistake: a config amtool must refuse, a template it must refuse, or why it cannot see it. */
  readonly amtool: { config: Config } | { template: string } | { invisible: string };
}

const ROWS: Row[] = [
  { description: 'a zero route group_interval', build: () => routing({}, { matchers: { a: 'b' }, receiver: 'hook', groupInterval: '0s' }), prop: 'routes[0].groupInterval',
    expected: 'a duration above 0s', amtool: { config: mutated((c) => { c.route.routes[1].group_interval = '0s'; }) } },
  { description: 'a zero route repeat_interval', build: () => routing({}, { matchers: { a: 'b' }, receiver: 'hook', repeatInterval: '0s' }), prop: 'routes[0].repeatInterval',
    expected: 'a duration above 0s', amtool: { config: mutated((c) => { c.route.routes[1].repeat_interval = '0s'; }) } },
  { description: 'a zero class groupInterval', build: () => routing({ classes: { critical: { responseTime: '5m', receiver: 'immediate', groupInterval: '0s' }, high: { responseTime: '15m', receiver: 'tier-2' }, medium: { responseTime: '30m', receiver: 'tier-1' } } }),
    prop: 'classes.critical.groupInterval', expected: 'a duration above 0s', amtool: { config: mutated((c) => { c.route.routes.at(-3).group_interval = '0s'; }) } },
  { description: 'a zero Watchdog interval', build: () => routing({ watchdogInterval: '0s' }), prop: 'watchdogInterval',
    expected: 'a duration above 0s', amtool: { config: mutated((c) => { c.route.routes[0].group_interval = '0s'; }) } },
  { description: 'a negative interval', build: () => routing({}, { matchers: { a: 'b' }, receiver: 'hook', groupWait: '-1m' }), prop: 'routes[0].groupWait',
    expected: 'a duration like 15s', amtool: { config: mutated((c) => { c.route.routes[1].group_wait = '-1m'; }) } },
  { description: 'a duplicated group_by label', build: () => routing({ groupBy: ['alertname', 'namespace', 'alertname'] }), prop: 'groupBy[2]',
    expected: 'listed once', amtool: { config: mutated((c) => { c.route.group_by = ['alertname', 'namespace', 'alertname']; }) } },
  { description: "'...' mixed with labels", build: () => routing({}, { matchers: { a: 'b' }, receiver: 'hook', groupBy: ['...', 'alertname'] }), prop: 'routes[0].groupBy[0]',
    expected: "alone: '...'", amtool: { config: mutated((c) => { c.route.routes[1].group_by = ['...', 'alertname']; }) } },
  { description: 'a group_by that is not a list', build: () => routing({ groupBy: 'alertname' as never }), prop: 'groupBy',
    expected: 'a list of label names', amtool: { config: mutated((c) => { c.route.group_by = 'alertname'; }) } },
  { description: 'continue: 1', build: () => routing({}, { matchers: { a: 'b' }, receiver: 'hook', continue: 1 as never }), prop: 'routes[0].continue',
    expected: 'true or false', amtool: { config: mutated((c) => { c.route.routes[1].continue = 1; }) } },
  { description: "sendResolved: 'yes'", build: () => Receiver.webhook('w', { url: 'http://w.svc/', sendResolved: 'yes' as never }), prop: 'receivers.w.sendResolved',
    expected: 'true or false', amtool: { invisible: "written as `yes`, which Alertmanager's YAML 1.1 reads as true: amtool accepts it; the library refuses the ambiguity" } },
  { description: "sendResolved: 'sure'", build: () => Receiver.webhook('w', { url: 'http://w.svc/', sendResolved: 'sure' as never }), prop: 'receivers.w.sendResolved',
    expected: 'true or false', amtool: { config: mutated((c) => { receiver(c, 'hook').webhook_configs[0].send_resolved = 'sure'; }) } },
  { description: 'requireTls: 1', build: () => Receiver.email('e', { to: 'a@example.com', from: 'b@example.com', smarthost: 'smtp:25', requireTls: 1 as never }), prop: 'receivers.e.requireTls',
    expected: 'true or false', amtool: { config: mutated((c) => { receiver(c, 'tier-1').email_configs[0].require_tls = 1; }) } },
  { description: 'a negative max_alerts', build: () => Receiver.webhook('w', { url: 'http://w.svc/', maxAlerts: -1 }), prop: 'receivers.w.maxAlerts',
    expected: 'an integer >= 0', amtool: { config: mutated((c) => { receiver(c, 'hook').webhook_configs[0].max_alerts = -1; }) } },
  { description: 'a fractional max_alerts', build: () => Receiver.webhook('w', { url: 'http://w.svc/', maxAlerts: 1.5 }), prop: 'receivers.w.maxAlerts',
    expected: 'an integer >= 0', amtool: { invisible: 'amtool 0.28.1 loads max_alerts: 1.5 (YAML truncates it to 1); the library refuses the ambiguity' } },
  { description: 'a PagerDuty severity PagerDuty does not define', build: () => Receiver.pagerDuty('p', { routingKey: { name: 's', key: 'k' }, severity: 'page' }), prop: 'receivers.p.severity',
    expected: 'one of critical, error, warning, info or a Go template', amtool: { invisible: 'Alertmanager passes severity through; the PagerDuty Events API v2 refuses the event' } },
  { description: 'a PagerDuty severity template that does not parse', build: () => Receiver.pagerDuty('p', { routingKey: { name: 's', key: 'k' }, severity: '{{ if .CommonLabels.severity }}' }), prop: 'receivers.p.severity',
    expected: 'a valid Go template for Alertmanager (unexpected EOF)', amtool: { template: '{{ if .CommonLabels.severity }}' } },
  { description: 'an Opsgenie priority outside P1-P5', build: () => Receiver.opsgenie('o', { apiKey: { name: 's', key: 'k' }, priority: 'P9' }), prop: 'receivers.o.priority',
    expected: 'one of P1, P2, P3, P4, P5 or a Go template', amtool: { invisible: 'Alertmanager passes priority through; Opsgenie refuses it' } },
  { description: 'an Opsgenie priority template with an unknown function', build: () => Receiver.opsgenie('o', { apiKey: { name: 's', key: 'k' }, priority: '{{ humanize .CommonLabels.p }}' }), prop: 'receivers.o.priority',
    expected: 'function "humanize" not defined', amtool: { template: '{{ humanize .CommonLabels.p }}' } },
  { description: 'an email recipient template that does not parse', build: () => Receiver.email('e', { to: '{{ .CommonLabels.team }@example.com', from: 'b@example.com', smarthost: 'smtp:25' }), prop: 'receivers.e.to',
    expected: 'a valid Go template for Alertmanager', amtool: { template: '{{ .CommonLabels.team }@example.com' } },
  { description: 'a Slack channel template with an undefined variable', build: () => Receiver.slack('s', { apiUrl: { name: 's', key: 'k' }, channel: '{{ $labels.team }}' }), prop: 'receivers.s.channel',
    expected: 'undefined variable "$labels"', amtool: { template: '{{ $labels.team }}' } },
  { description: 'a route regex matcher RE2 refuses', build: () => routing({}, { matchers: ['model=~"llm-(.*"'], receiver: 'hook' }), prop: 'routes[0].matchers[0]',
    expected: 'an RE2 (Go) regular expression (error parsing regexp: missing closing )', amtool: { config: mutated((c) => { c.route.routes[1].matchers = ['model=~"llm-(.*"']; }) } },
];

/** Valid inputs at the edges of the same rules; the synthesized configuration must pass amtool. */
const ACCEPTED: Array<[string, () => IncidentRouting]> = [
  ["group_by ['...'] and a 0s group_wait", () => routing({ groupBy: ['...'] }, { matchers: { a: 'b' }, receiver: 'hook', groupWait: '0s', continue: false })],
  ['templated receiver fields', () => new IncidentRouting(newChart(), 'R', {
    receivers: receivers([
      Receiver.pagerDuty('p', { routingKey: { name: 's', key: 'k' }, severity: '{{ .CommonLabels.severity | toLower }}', sendResolved: false }),
      Receiver.opsgenie('o', { apiKey: { name: 's', key: 'k' }, priority: '{{ if eq .CommonLabels.severity "critical" }}P1{{ else }}P3{{ end }}' }),
      Receiver.email('e', { to: '{{ .CommonLabels.team }}@example.com', from: 'am@example.com', smarthost: 'smtp:25', requireTls: false }),
      Receiver.slack('s', { apiUrl: { name: 's', key: 'k' }, channel: '#{{ .CommonLabels.team }}' }),
      Receiver.webhook('w', { url: 'http://w.svc/', maxAlerts: 0 }),
    ]),
  })],
  ['plain PagerDuty and Opsgenie values', () => new IncidentRouting(newChart(), 'R', {
    receivers: receivers([Receiver.pagerDuty('p', { routingKey: { name: 's', key: 'k' }, severity: 'warning' }), Receiver.opsgenie('o', { apiKey: { name: 's', key: 'k' }, priority: 'P2' })]),
  })],
];

describe('Alertmanager semantics at construction', () => {
  it.each(ROWS.map((r) => [r.description, r] as const))('rejects %s, naming the prop', (...[, row]) => {
    expect(row.build).toThrow(`'${row.prop}' must be `);
    expect(row.build).toThrow(row.expected);
  });
  it.each(ACCEPTED)('accepts %s', (...[, build]) => {
    expect(() => build().configYaml()).not.toThrow();
  });
});

describeWithTool('amtool', 'Alertmanager semantics: what amtool 0.28.1 makes of the same input', (amtool) => {
  const dir = tmpDir('aimon-am-sem-');
  const check = (config: Config | string, templates: string[] = []) => {
    const file = path.join(dir, 'alertmanager.yaml');
    fs.writeFileSync(file, typeof config === 'string' ? config : stringify({ ...config, templates }));
    return run(amtool, ['check-config', file]);
  };

  it('accepts the valid configuration the mutations start from', () => {
    expect(check(mutated(() => undefined)).status).toBe(0);
  });
  it.each(ROWS.filter((r) => !('invisible' in r.amtool)).map((r) => [r.description, r] as const))('refuses %s too', (...[, row]) => {
    let r;
    if ('config' in row.amtool) r = check(row.amtool.config);
    else {
      // Alertmanager parses receiver fields only when it notifies; a template file gets the same parser now.
      const tmpl = path.join(dir, 'field.tmpl');
      fs.writeFileSync(tmpl, (row.amtool as { template: string }).template);
      r = check(mutated(() => undefined), [tmpl]);
    }
    expect(r.status).not.toBe(0);
  });
  it.each(ACCEPTED)('passes amtool check-config: %s', (...[, build]) => {
    const r = check(build().configYaml());
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });
});
