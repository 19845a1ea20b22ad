import { ValidationError } from './errors.js';

/**
 * The credential guard: one place that decides whether a value a user passes would put a
 * secret into a manifest. URL props go through `requireSafeUrl` (lib/core/url.ts), header maps
 * and operator specs through `requireNoInlineCredential`, `host:port` props through
 * `requireHostPort`. Hand-written because no maintained package knows the token formats of
 * webhook services; the URL itself is parsed by the runtime's WHATWG parser.
 */

/** Query or fragment parameters that carry a credential (compared lower-case, `-` as `_`). */
const CREDENTIAL_PARAMS = new Set([
  'token', 'access_token', 'auth_token', 'api_token', 'id_token', 'refresh_token', 'session_token', 'private_token',
  'key', 'api_key', 'apikey', 'access_key', 'secret_key', 'client_secret', 'secret', 'password', 'passwd', 'pass', 'pwd',
  'auth', 'authorization', 'credential', 'credentials', 'sig', 'signature',
  'x_amz_signature', 'x_amz_credential', 'x_amz_security_token', 'x_goog_signature', 'x_goog_credential',
]);
/** Parameter names that end like a credential (`routing_key`, `slack_token`, `db_password`). */
const CREDENTIAL_SUFFIX = /(token|secret|password|passwd|signature|credential|api_?key|access_?key|private_?key)$/;

/** Webhook services whose URL path is the credential. */
const PATH_TOKENS: ReadonlyArray<{ host: RegExp; path: RegExp; what: string }> = [
  { host: /^hooks\.slack\.com$/, path: /^\/(services|workflows|triggers)\//, what: 'a Slack webhook token in the path' },
  { host: /^(?:[\w-]+\.)?(discord|discordapp)\.com$/, path: /^\/api\/(?:v\d+\/)?webhooks\/[^/]+\/[^/]+/, what: 'a Discord webhook token in the path' },
  { host: /^api\.telegram\.org$/, path: /^\/bot[^/]+/, what: 'a Telegram bot token in the path' },
  { host: /(^|\.)webhook\.office\.com$|^outlook\.office(365)?\.com$/, path: /^\/webhook(b2)?\//, what: 'a Microsoft Teams webhook token in the path' },
  { host: /(^|\.)logic\.azure\.com$/, path: /\/triggers\/[^/]+\/paths\/invoke/, what: 'a signed Azure Logic App trigger' },
  { host: /^events\.pagerduty\.com$/, path: /^\/integration\/[^/]+/, what: 'a PagerDuty integration key in the path' },
  { host: /^hooks\.zapier\.com$/, path: /^\/hooks\/catch\//, what: 'a Zapier hook token in the path' },
];

function isCredentialParam(name: string): boolean {
  const n = name.toLowerCase().replace(/-/g, '_');
  return CREDENTIAL_PARAMS.has(n) || CREDENTIAL_SUFFIX.test(n);
}

/** Why a parsed URL carries a credential, or undefined when it does not. */
export function credentialInUrl(u: URL): string | undefined {
  if (u.username || u.password) return 'user info';
  for (const name of u.searchParams.keys()) if (isCredentialParam(name)) return 'a credential in the query';
  // Fragments are never sent, but OAuth implicit flows and some webhooks keep tokens there.
  const hash = u.hash.replace(/^#/, '');
  if (hash) {
    for (const name of new URLSearchParams(hash).keys()) if (isCredentialParam(name)) return 'a credential in the fragment';
  }
  const host = u.hostname.toLowerCase();
  for (const t of PATH_TOKENS) if (t.host.test(host) && t.path.test(u.pathname)) return t.what;
  // Google Chat webhooks carry `key` and `token` in the query, caught above.
  return undefined;
}

/** Header names whose value is a credential. */
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie|x-api-key|api-key|x-auth-token|x-access-token|private-token)$|token|secret|password|api[-_]?key/i;
/** Spec fields that hold a credential when given as a string (operator specs take SecretKeySelectors). */
const CREDENTIAL_FIELD = /^(bearer_?token|password|credentials|client_?secret|secret_?key|access_?key|api_?key|token|secret|private_?key|key_?secret|authorization)$/i;
/** Spec fields that hold a URL. */
const URL_FIELD = /(^url$|Url$|_url$)/;

/**
 * Walks a user-supplied spec (remote write, header map, HTTP config) and refuses an inline
 * credential: a credential-named header, a credential-named field given as a string rather
 * than a Secret reference (`{ name, key }`) or a `*File`/`*_file` path, or a URL field that
 * carries one. The message names the path and never the value.
 * @param checkUrl validates a URL field (`requireSafeUrl`); passed in to keep the modules acyclic
 */
export function requireNoInlineCredential(prop: string, spec: unknown, checkUrl: (prop: string, value: unknown) => void): void {
  const walk = (node: unknown, path: string, inHeaders: boolean): void => {
    if (Array.isArray(node)) return node.forEach((v, i) => walk(v, `${path}[${i}]`, false));
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      const at = `${path}.${k}`;
      if (inHeaders && CREDENTIAL_HEADER.test(k)) {
        throw new ValidationError(`'${at}' must be unset (a credential header would be written into the manifest in clear): use a Secret reference (authorization.credentials, basicAuth or oauth2 with SecretKeySelectors), got <redacted>`);
      }
      if (typeof v === 'string' && CREDENTIAL_FIELD.test(k)) {
        throw new ValidationError(`'${at}' must be a Secret reference { name, key } or a *_file path, not an inline string (it would be written into the manifest in clear), got <redacted>`);
      }
      if (typeof v === 'string' && URL_FIELD.test(k)) checkUrl(at, v);
      walk(v, at, /^(headers|http_headers|httpHeaders)$/i.test(k));
    }
  };
  walk(spec, prop, false);
}

/**
 * Throws unless `value` is a `host:port` without user info; the message is redacted, since
 * `user:password@host:port` is the usual way to put a credential into such a prop.
 */
export function requireHostPort(prop: string, value: unknown, expected: string): { host: string; port: number } {
  // Only a value made of host:port characters is shown; anything else may hold a credential.
  const redacted = typeof value === 'string' && /^[a-zA-Z0-9.:[\]-]{0,300}$/.test(value) ? `'${value}'` : typeof value === 'string' ? '<redacted>' : `<${typeof value}>`;
  const m = typeof value === 'string' && value.length <= 261 ? /^([a-zA-Z0-9]([-a-zA-Z0-9.]*[a-zA-Z0-9])?|\[[0-9a-fA-F:.]+\]):(\d{1,5})$/.exec(value) : null;
  const port = m ? Number(m[3]) : 0;
  if (!m || port < 1 || port > 65535) {
    const why = typeof value === 'string' && value.includes('@') ? ' without user info (credentials belong in a Secret)' : '';
    throw new ValidationError(`'${prop}' must be ${expected}${why}, got ${redacted}`);
  }
  return { host: m[1], port };
}
