import { invalid, requireInt, ValidationError } from '../core/errors.js';
import { validateGoTemplate } from '../core/go-template.js';
import { requireSecretKeyRef, SecretKeyRef, shape } from '../core/secrets.js';
import { NetworkFlow, NetworkPeer } from '../core/network.js';
import { requireHostPort } from '../core/credentials.js';
import { requireSafeUrl, urlError } from '../core/url.js';
import { optionalBoolean } from './routing-tree.js';


/** What a receiver needs to know to render its settings. */
export interface ReceiverRenderContext {
  /** Where the Alertmanager pods see Secret `s` key `k`: `<secretsMountPath>/s/k`. */
  readonly secretsMountPath: string;
  /** Target Alertmanager version as [major, minor, patch]. */
  readonly version: readonly [number, number, number];
}

export interface PagerDutyOptions {
  /** Events API v2 integration (routing) key. */
  readonly routingKey: SecretKeyRef;
  /**
   * PagerDuty severity: `critical`, `error`, `warning` or `info` (what the Events API v2
   * accepts), or a Go template that renders one. @default - from the alert's `severity` label
   */
  readonly severity?: string;
  /** @default true */
  readonly sendResolved?: boolean;
}

export interface SlackOptions {
  /** Incoming-webhook URL (the URL itself is the credential). */
  readonly apiUrl: SecretKeyRef;
  readonly channel: string;
  /** @default true */
  readonly sendResolved?: boolean;
}

export interface WebhookOptions {
  /**
   * Plain URL of an in-cluster or otherwise unauthenticated endpoint. A URL that carries a
   * credential (user info, token in the query) is refused: use `urlSecret` or `bearerToken`.
   */
  readonly url?: string;
  /** URL kept in a Secret (`url_file`, Alertmanager >= 0.26). */
  readonly urlSecret?: SecretKeyRef;
  /** Bearer token sent as `Authorization: Bearer ...` (`credentials_file`). */
  readonly bearerToken?: SecretKeyRef;
  /** @default true */
  readonly sendResolved?: boolean;
  /** At most this many alerts per message (0 = all). @default 0 */
  readonly maxAlerts?: number;
  /** Where the webhook lives, for the Alertmanager NetworkPolicy. @default - HTTPS (443) to anywhere */
  readonly egress?: NetworkFlow;
}

export interface EmailOptions {
  readonly to: string;
  readonly from: string;
  /** SMTP server as `host:port`. */
  readonly smarthost: string;
  readonly authUsername?: string;
  /** SMTP password (`auth_password_file`). */
  readonly authPassword?: SecretKeyRef;
  /** @default true */
  readonly requireTls?: boolean;
  /** @default false */
  readonly sendResolved?: boolean;
}

export interface OpsgenieOptions {
  readonly apiKey: SecretKeyRef;
  /** Opsgenie priority `P1`..`P5`, or a Go template that renders one. @default - Opsgenie's default */
  readonly priority?: 'P1' | 'P2' | 'P3' | 'P4' | 'P5' | (string & {});
  /** @default true */
  readonly sendResolved?: boolean;
}

const WEBHOOK_CREDENTIAL = 'a URL without credentials: put it in a Secret and use urlSecret, or bearerToken';
/** Severities of the PagerDuty Events API v2 (`payload.severity`). */
const PAGERDUTY_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
/** Alert priorities of the Opsgenie Alert API. */
const OPSGENIE_PRIORITIES = ['P1', 'P2', 'P3', 'P4', 'P5'] as const;
const PAGERDUTY_DEFAULT_SEVERITY = '{{ if .CommonLabels.severity }}{{ .CommonLabels.severity }}{{ else }}critical{{ end }}';
const EMAIL_RE = /^[^\s@]+@[^\s@]+$/;
const SECRET_HOSTS = /(hooks\.slack\.com|events\.pagerduty\.com|api\.opsgenie\.com|outlook\.office\.com\/webhook)/i;

/**
 * A receiver field Alertmanager renders as a Go template: a template is parse-checked with
 * Alertmanager's functions; a plain value must be one of `allowed` (the values the receiving
 * API defines), which amtool cannot check because it only sees the template.
 */
function templatedField(value: unknown, prop: string, allowed: readonly string[] | RegExp, expected: string): string {
  if (typeof value !== 'string' || value === '') throw invalid(prop, value, expected);
  if (value.includes('{{')) return validateGoTemplate(value, prop, 'alertmanager');
  const ok = Array.isArray(allowed) ? allowed.includes(value) : (allowed as RegExp).test(value);
  if (!ok) throw invalid(prop, value, expected);
  return value;
}

/** The flags every receiver shares, checked once: booleans, not `'yes'` or `1`. */
function flags(options: object | undefined, prop: string, keys: readonly string[]): void {
  for (const k of keys) optionalBoolean((options as Record<string, unknown> | undefined)?.[k], `${prop}.${k}`);
}

/** Checks a Secret reference and refuses anything else, never echoing a would-be credential. */
function secretRef(value: unknown, prop: string): SecretKeyRef {
  const r = value as Record<string, unknown> | undefined;
  if (!r || typeof r !== 'object' || typeof r.name !== 'string' || typeof r.key !== 'string') {
    throw new ValidationError(`'${prop}' must be a Secret reference { name, key }: credentials are never written into the configuration, got ${shape(value)}`);
  }
  return requireSecretKeyRef(prop, r as unknown as SecretKeyRef, 'the credential');
}

function atLeast(v: readonly number[], major: number, minor: number): boolean {
  return v[0] > major || (v[0] === major && v[1] >= minor);
}

type Render = (ctx: ReceiverRenderContext, file: (ref: SecretKeyRef) => string) => Record<string, unknown>;
/** The receiver as a prometheus-operator `AlertmanagerConfig` receiver (Secret key selectors instead of files). */
type CrdRender = () => Record<string, unknown>;

/**
 * A notification receiver of the Alertmanager configuration. Credentials are Secret references
 * only: the incident routing mounts their Secrets into the Alertmanager pods and the receiver
 * points at the mounted files (`*_file` settings), so no credential appears in a manifest.
 */
export class Receiver {
  /** PagerDuty Events API v2 (`routing_key_file`). */
  static pagerDuty(name: string, options: PagerDutyOptions): Receiver {
    const key = secretRef(options?.routingKey, `receivers.${name}.routingKey`);
    flags(options, `receivers.${name}`, ['sendResolved']);
    const severity = options.severity === undefined ? undefined
      : templatedField(options.severity, `receivers.${name}.severity`, PAGERDUTY_SEVERITIES, `one of ${PAGERDUTY_SEVERITIES.join(', ')} or a Go template`);
    return new Receiver(name, [key], [httpsAnywhere()], (_, file) => ({
      pagerduty_configs: [{
        routing_key_file: file(key),
        send_resolved: options.sendResolved ?? true,
        severity: severity ?? PAGERDUTY_DEFAULT_SEVERITY,
      }],
    }), () => ({
      pagerdutyConfigs: [{ routingKey: { ...key }, sendResolved: options.sendResolved ?? true, severity: severity ?? PAGERDUTY_DEFAULT_SEVERITY }],
    }));
  }

  /** Slack incoming webhook (`api_url_file`). */
  static slack(name: string, options: SlackOptions): Receiver {
    const url = secretRef(options?.apiUrl, `receivers.${name}.apiUrl`);
    flags(options, `receivers.${name}`, ['sendResolved']);
    templatedField(options.channel, `receivers.${name}.channel`, /^[#@]?[\w.-]+$/, 'a Slack channel like #incidents, or a Go template');
    return new Receiver(name, [url], [httpsAnywhere()], (_, file) => ({
      slack_configs: [{ api_url_file: file(url), channel: options.channel, send_resolved: options.sendResolved ?? true }],
    }), () => ({
      slackConfigs: [{ apiURL: { ...url }, channel: options.channel, sendResolved: options.sendResolved ?? true }],
    }));
  }

  /** Generic webhook: a plain URL, or a URL from a Secret (`url_file`), optionally with a bearer token. */
  static webhook(name: string, options: WebhookOptions): Receiver {
    const prop = `receivers.${name}`;
    flags(options, prop, ['sendResolved']);
    if (options?.maxAlerts !== undefined) requireInt(`${prop}.maxAlerts`, options.maxAlerts, 0);
    if ((options?.url === undefined) === (options?.urlSecret === undefined)) {
      throw urlError(`${prop}.url`, options?.url, 'set, or urlSecret set, but not both');
    }
    // The credential guard (lib/core/url.ts): user info, token parameters, webhook path tokens.
    const parsed = options.url === undefined ? undefined : requireSafeUrl(`${prop}.url`, options.url, { credentialExpected: WEBHOOK_CREDENTIAL });
    if (parsed && SECRET_HOSTS.test(`${parsed.hostname}${parsed.pathname}`)) {
      throw urlError(`${prop}.url`, options.url, WEBHOOK_CREDENTIAL);
    }
    const urlRef = options.urlSecret === undefined ? undefined : secretRef(options.urlSecret, `${prop}.urlSecret`);
    const token = options.bearerToken === undefined ? undefined : secretRef(options.bearerToken, `${prop}.bearerToken`);
    const refs = [urlRef, token].filter((r): r is SecretKeyRef => r !== undefined);
    const egress = options.egress ?? webhookEgress(parsed);
    return new Receiver(name, refs, [egress], (ctx, file) => {
      if (urlRef && !atLeast(ctx.version, 0, 26)) {
        throw invalid(`${prop}.urlSecret`, urlRef, `unset for Alertmanager ${ctx.version.join('.')}: webhook url_file needs Alertmanager >= 0.26 (use a plain url with bearerToken, or raise alertmanagerVersion)`);
      }
      return {
        webhook_configs: [{
          ...(urlRef ? { url_file: file(urlRef) } : { url: options.url }),
          send_resolved: options.sendResolved ?? true,
          ...(options.maxAlerts ? { max_alerts: options.maxAlerts } : {}),
          ...(token ? { http_config: { authorization: { type: 'Bearer', credentials_file: file(token) } } } : {}),
        }],
      };
    }, () => ({
      webhookConfigs: [{
        ...(urlRef ? { urlSecret: { ...urlRef } } : { url: options.url }),
        sendResolved: options.sendResolved ?? true,
        ...(options.maxAlerts ? { maxAlerts: options.maxAlerts } : {}),
        ...(token ? { httpConfig: { authorization: { type: 'Bearer', credentials: { ...token } } } } : {}),
      }],
    }));
  }

  /** Email through an SMTP smarthost (`auth_password_file`). */
  static email(name: string, options: EmailOptions): Receiver {
    const prop = `receivers.${name}`;
    for (const field of ['to', 'from'] as const) templatedField(options?.[field], `${prop}.${field}`, EMAIL_RE, 'an email address, or a Go template');
    flags(options, prop, ['sendResolved', 'requireTls']);
    const { port } = requireHostPort(`${prop}.smarthost`, options.smarthost, 'an SMTP server as host:port, like smtp.example.com:587');
    const password = options.authPassword === undefined ? undefined : secretRef(options.authPassword, `${prop}.authPassword`);
    if (password && !options.authUsername) throw invalid(`${prop}.authUsername`, options.authUsername, 'set when authPassword is set');
    const egress: NetworkFlow = { peers: [NetworkPeer.anywhere('the SMTP smarthost is outside the cluster, address unknown at synthesis')], ports: [port] };
    return new Receiver(name, password ? [password] : [], [egress], (_, file) => ({
      email_configs: [{
        to: options.to,
        from: options.from,
        smarthost: options.smarthost,
        require_tls: options.requireTls ?? true,
        send_resolved: options.sendResolved ?? false,
        ...(options.authUsername ? { auth_username: options.authUsername } : {}),
        ...(password ? { auth_password_file: file(password) } : {}),
      }],
    }), () => ({
      emailConfigs: [{
        to: options.to, from: options.from, smarthost: options.smarthost,
        requireTLS: options.requireTls ?? true, sendResolved: options.sendResolved ?? false,
        ...(options.authUsername ? { authUsername: options.authUsername } : {}),
        ...(password ? { authPassword: { ...password } } : {}),
      }],
    }));
  }

  /** Opsgenie alerts API (`api_key_file`). */
  static opsgenie(name: string, options: OpsgenieOptions): Receiver {
    const key = secretRef(options?.apiKey, `receivers.${name}.apiKey`);
    flags(options, `receivers.${name}`, ['sendResolved']);
    if (options.priority !== undefined) templatedField(options.priority, `receivers.${name}.priority`, OPSGENIE_PRIORITIES, `one of ${OPSGENIE_PRIORITIES.join(', ')} or a Go template`);
    return new Receiver(name, [key], [httpsAnywhere()], (_, file) => ({
      opsgenie_configs: [{ api_key_file: file(key), send_resolved: options.sendResolved ?? true, ...(options.priority ? { priority: options.priority } : {}) }],
    }), () => ({
      opsgenieConfigs: [{ apiKey: { ...key }, sendResolved: options.sendResolved ?? true, ...(options.priority ? { priority: options.priority } : {}) }],
    }));
  }

  /** A receiver that notifies nobody (for alerts that are only shown, never sent). */
  static none(name: string): Receiver {
    return new Receiver(name, [], [], () => ({}), () => ({}));
  }

  /** Secrets the Alertmanager pods must mount for this receiver. */
  readonly secrets: readonly SecretKeyRef[];
  /** Network flows the Alertmanager pods need to reach this receiver. */
  readonly egress: readonly NetworkFlow[];

  private constructor(readonly name: string, secrets: SecretKeyRef[], egress: NetworkFlow[], private readonly renderFn: Render, private readonly crdFn: CrdRender) {
    if (typeof name !== 'string' || !/^[a-zA-Z0-9][-a-zA-Z0-9_.]*$/.test(name)) {
      throw invalid('receivers.name', name, 'a receiver name of letters, digits, "-", "_" or "."');
    }
    this.secrets = secrets;
    this.egress = egress;
  }

  /** The receiver's entry of `receivers:` in alertmanager.yaml. */
  render(ctx: ReceiverRenderContext): Record<string, unknown> {
    const base = ctx.secretsMountPath.replace(/\/+$/, '');
    return { name: this.name, ...this.renderFn(ctx, (ref) => `${base}/${ref.name}/${ref.key}`) };
  }

  /**
   * The receiver's entry of an `AlertmanagerConfig`'s `spec.receivers` (`ExistingAlertmanager`);
   * its Secrets are read by the operator from the AlertmanagerConfig's namespace (the same keys
   * IncidentRouting mounts: `routingKey`, `apiURL`, `urlSecret`, `authPassword`, `apiKey`, a
   * webhook's bearer token as `httpConfig.authorization.credentials`).
   */
  renderAlertmanagerConfig(): Record<string, unknown> {
    return { name: this.name, ...this.crdFn() };
  }
}

function httpsAnywhere(): NetworkFlow {
  return { peers: [NetworkPeer.anywhere('a SaaS notification API, address unknown at synthesis')], ports: [443] };
}

function webhookEgress(u?: URL): NetworkFlow {
  if (!u) return httpsAnywhere();
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  return { peers: [NetworkPeer.anywhere('a webhook outside the cluster, address unknown at synthesis')], ports: [port] };
}

/** Parses `v0.28.1` / `0.25.0` into [major, minor, patch]. */
export function parseAlertmanagerVersion(value: string, prop = 'alertmanagerVersion'): [number, number, number] {
  const m = typeof value === 'string' ? /^v?(\d+)\.(\d+)\.(\d+)$/.exec(value) : null;
  if (!m) throw invalid(prop, value, 'an Alertmanager version like v0.28.1');
  const v: [number, number, number] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!atLeast(v, 0, 25)) throw new ValidationError(`'${prop}' must be v0.25.0 or newer (the oldest release whose *_file settings this library uses), got '${value}'`);
  return v;
}
