// The credential guard (issue 15): every public prop that can carry a credential (a URL, a
// host:port, a header map, a token or a Secret reference) refuses each hostile but plausible form
// of one, and the message names the prop and never contains the secret part. The hostile values
// are written by hand from the services' documented URL formats; the oracle is the plain
// "does the message contain the secret" check, not the guard itself.
import { RuleSet, ValidationError } from '../../lib/core/index.js';
import { Receiver } from '../../lib/alerting/index.js';
import { VectorStore } from '../../lib/ai/index.js';
import { GrafanaDatabase } from '../../lib/dashboards/index.js';
import { LogAlertRules, LokiStorage, S3Credentials } from '../../lib/logging/index.js';
import { ObjectStorage, Topology } from '../../lib/topology/index.js';
import { RemediationStep, WorkloadAutoscaler } from '../../lib/response/index.js';
import { EU, US, grafana, logging, metrics, remediation, replica, response, routing } from '../bad-input/fixtures.js';
import { newChart } from '../support/synth.js';

const SECRET = 'S3cr3t-Tok3n-0042';

/** URLs that carry SECRET as a credential, in the forms users paste them. */
const HOSTILE_URLS: Array<[string, string]> = [
  ['user info', `https://ops:${SECRET}@hooks.example.com/alerts`],
  ['user info, upper-case scheme', `HTTPS://ops:${SECRET}@hooks.example.com/alerts`],
  ['user info after a leading space', ` https://ops:${SECRET}@hooks.example.com/alerts`],
  ['user info with a scheme typo', `htps://ops:${SECRET}@hooks.example.com/alerts`],
  ['user info, unparsable', `https://ops:${SECRET}@`],
  ['a token without user name', `https://${SECRET}@hooks.example.com/alerts`],
  ['?api_token=', `https://hooks.example.com/alerts?api_token=${SECRET}`],
  ['?auth_token=', `https://hooks.example.com/alerts?x=1&auth_token=${SECRET}`],
  ['?access_token=', `https://hooks.example.com/alerts?access_token=${SECRET}`],
  ['?client_secret=', `https://hooks.example.com/alerts?client_id=a&client_secret=${SECRET}`],
  ['?password=', `https://hooks.example.com/alerts?password=${SECRET}`],
  ['?X-Amz-Signature=', `https://bucket.s3.amazonaws.com/o?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=${SECRET}`],
  ['?X-Amz-Credential=', `https://bucket.s3.amazonaws.com/o?X-Amz-Credential=${SECRET}`],
  ['#token=', `https://hooks.example.com/alerts#token=${SECRET}`],
  ['Slack webhook path', `https://hooks.slack.com/services/T0000/B0000/${SECRET}`],
  ['Discord webhook path', `https://discord.com/api/webhooks/123456789012345678/${SECRET}`],
  ['Telegram bot path', `https://api.telegram.org/bot123456:${SECRET}/sendMessage`],
  ['Teams webhookb2 path', `https://acme.webhook.office.com/webhookb2/${SECRET}/IncomingWebhook/abc/def`],
  ['Logic App signature', `https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?api-version=2016-10-01&sig=${SECRET}`],
  ['Google Chat key and token', `https://chat.googleapis.com/v1/spaces/AAAA/messages?key=${SECRET}&token=${SECRET}`],
  ['a newline before the token', `https://hooks.example.com/alerts\n${SECRET}`],
];

/** Every public prop that takes a URL, with a build that passes it the value. */
const URL_PROPS: Array<[string, (url: string) => unknown]> = [
  ['receivers.w.url', (url) => Receiver.webhook('w', { url })],
  ['receivers.w.url', (url) => Receiver.webhook('w', { url, urlSecret: { name: 'hook', key: 'url' } })],
  ['remoteWrite.url', (url) => metrics(newChart()).addRemoteWrite({ name: 'x', url })],
  ['remoteWrite.oauth2.tokenUrl', (url) => metrics(newChart()).addRemoteWrite({ name: 'x', url: 'https://rw.example.com/api/v1/write', oauth2: { tokenUrl: url, clientId: { secret: { name: 'o', key: 'id' } }, clientSecret: { name: 'o', key: 'secret' } } })],
  ['remoteWrite.proxyUrl', (url) => metrics(newChart()).addRemoteWrite({ name: 'x', url: 'https://rw.example.com/api/v1/write', proxyUrl: url })],
  ['rootUrl', (url) => grafana({ rootUrl: url })()],
  ['prometheus.url', (url) => grafana({ prometheus: { url } })()],
  ['alertmanager.url', (url) => grafana({ alertmanager: { url } })()],
  ['externalUrl', (url) => routing({ externalUrl: url })],
  ['runbookBaseUrl', (url) => new RuleSet(newChart(), 'R', { name: 'r', namespace: 'monitoring', runbookBaseUrl: url })],
  ['runbookBaseUrl', (url) => new LogAlertRules(newChart(), 'L', { name: 'l', namespace: 'logging', runbookBaseUrl: url })],
  ['regions[1].receiveUrl', (url) => new Topology({ regions: [US, { ...EU, receiveUrl: url }] })],
  ['alertmanagerUrl', (url) => logging({ alertmanagerUrl: url })()],
  ['storage.endpoint', (url) => LokiStorage.s3({ bucket: 'logs', region: 'eu-west-1', endpoint: url, credentials: S3Credentials.secret({ secretName: 'loki-s3' }) })],
  ['endpoint', (url) => ObjectStorage.s3({ bucket: 'metrics', region: 'us-east-1', endpoint: url })],
  ['alertmanager.url', (url) => response({ alertmanager: { url, namespace: 'monitoring', podLabels: { app: 'alertmanager' } } })],
  ['prometheusUrl', (url) => { const { chart, target } = response(); return new WorkloadAutoscaler(chart, 'A', { target, prometheusUrl: url, query: 'sum(up)', threshold: 1 } as any); }],
  ['url', (url) => RemediationStep.httpRequest({ name: 'purge', url })],
  ['prometheusUrl', (url) => remediation({ prometheusUrl: url })()],
];

/** host:port props, which people fill as user:password@host:port. */
const HOST_PORT_PROPS: Array<[string, (value: string) => unknown]> = [
  ['receivers.e.smarthost', (smarthost) => Receiver.email('e', { to: 'oncall@example.com', from: 'am@example.com', smarthost })],
  ['database.host', (host) => GrafanaDatabase.external({ host, user: 'grafana', passwordSecret: { name: 'db', key: 'password' } })],
  ['regions[1].queryEndpoint', (queryEndpoint) => new Topology({ regions: [US, { ...EU, queryEndpoint }] })],
];
const HOSTILE_HOST_PORTS = [`user:${SECRET}@smtp.example.com:587`, `${SECRET}@db:5432`, ` user:${SECRET}@db:5432`, `db:5432?password=${SECRET}`];

/** Props that take a Secret reference, given the credential itself (a string, or an object holding it). */
const SECRET_REF_PROPS: Array<[string, (ref: unknown) => unknown]> = [
  ['receivers.p.routingKey', (routingKey) => Receiver.pagerDuty('p', { routingKey: routingKey as any })],
  ['receivers.s.apiUrl', (apiUrl) => Receiver.slack('s', { apiUrl: apiUrl as any, channel: '#x' })],
  ['receivers.o.apiKey', (apiKey) => Receiver.opsgenie('o', { apiKey: apiKey as any })],
  ['receivers.e.authPassword', (authPassword) => Receiver.email('e', { to: 'a@example.com', from: 'b@example.com', smarthost: 'smtp.example.com:587', authUsername: 'am', authPassword: authPassword as any })],
  ['receivers.w.bearerToken', (bearerToken) => Receiver.webhook('w', { url: 'https://hooks.example.com/a', bearerToken: bearerToken as any })],
  ['receivers.w.urlSecret', (urlSecret) => Receiver.webhook('w', { urlSecret: urlSecret as any })],
  ['pineconeServerless.apiKey', (apiKey) => VectorStore.pineconeServerless({ projectId: 'proj-123', apiKey: apiKey as any })],
  ['pineconePods.apiKey', (apiKey) => VectorStore.pineconePods({ environment: 'us-east1-gcp', apiKey: apiKey as any })],
  ['database.passwordSecret', (passwordSecret) => GrafanaDatabase.external({ host: 'db.example.com:5432', user: 'grafana', passwordSecret: passwordSecret as any })],
  ['remoteWriteAuth.bearerTokenSecret', (bearerTokenSecret) => replica({ remoteWriteAuth: { bearerTokenSecret } })()],
];
const INLINE_SECRETS: Array<[string, unknown]> = [['a string', SECRET], ['an object with the value', { value: SECRET }], ['a named object with the value', { name: 'x', value: SECRET }]];

/** Remote-write specs that inline a credential instead of referencing a Secret. */
const INLINE_REMOTE_WRITE: Array<[string, string, Record<string, unknown>]> = [
  ['an Authorization header', 'remoteWrite.headers.Authorization', { headers: { Authorization: `Bearer ${SECRET}` } }],
  ['an API-key header', 'remoteWrite.headers.X-Api-Key', { headers: { 'X-Api-Key': SECRET } }],
  ['a bearerToken string', 'remoteWrite.bearerToken', { bearerToken: SECRET }],
  ['a basicAuth password string', 'remoteWrite.basicAuth.password', { basicAuth: { username: { name: 'b', key: 'user' }, password: SECRET } }],
  ['an oauth2 clientSecret string', 'remoteWrite.oauth2.clientSecret', { oauth2: { tokenUrl: 'https://idp.example.com/token', clientId: { secret: { name: 'o', key: 'id' } }, clientSecret: SECRET } }],
  ['authorization credentials as a string', 'remoteWrite.authorization.credentials', { authorization: { type: 'Bearer', credentials: SECRET } }],
];

function refusal(build: () => unknown): ValidationError {
  try {
    build();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw new Error(`expected a ValidationError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  throw new Error('expected a ValidationError, but the value was accepted');
}

function expectRefusedRedacted(prop: string, build: () => unknown): void {
  const error = refusal(build);
  expect(error.message).toContain(`'${prop}' must be `);
  expect(error.message).not.toContain(SECRET);
  expect(error.message).not.toContain(SECRET.slice(0, 8));
}

describe('credential guard: URL props', () => {
  it.each(URL_PROPS.flatMap(([prop, build]) => HOSTILE_URLS.map(([form, url]) => [prop, form, build, url] as const)))(
    '%s refuses %s, redacted', (prop, _form, build, url) => expectRefusedRedacted(prop, () => build(url)),
  );

  it('names what it found and keeps scheme and host for the user', () => {
    expect(refusal(() => Receiver.webhook('w', { url: `https://hooks.example.com/a?api_token=${SECRET}` })).message)
      .toBe("'receivers.w.url' must be a URL without credentials: put it in a Secret and use urlSecret, or bearerToken, got 'https://hooks.example.com/<redacted: a credential in the query>'");
    expect(refusal(() => new RuleSet(newChart(), 'R', { name: 'r', namespace: 'm', runbookBaseUrl: `https://wiki:${SECRET}@runbooks.example.com` })).message)
      .toBe("'runbookBaseUrl' must be a URL without credentials (they would be written into the manifest in clear), got 'https://runbooks.example.com/<redacted: user info>'");
  });

  it('still accepts plain URLs', () => {
    expect(() => Receiver.webhook('w', { url: 'https://alerts.example.com:8443/hook?team=ml' })).not.toThrow();
    expect(() => new RuleSet(newChart(), 'R', { name: 'r', namespace: 'm', runbookBaseUrl: 'https://runbooks.example.com/ai' })).not.toThrow();
    expect(() => grafana({ rootUrl: 'https://ai-monitoring-grafana.example.com/monitoring' })()).not.toThrow();
  });
});

describe('credential guard: host:port props', () => {
  it.each(HOST_PORT_PROPS.flatMap(([prop, build]) => HOSTILE_HOST_PORTS.map((v) => [prop, v, build] as const)))(
    '%s refuses %j, redacted', (prop, value, build) => expectRefusedRedacted(prop, () => build(value)),
  );
});

describe('credential guard: Secret references', () => {
  it.each(SECRET_REF_PROPS.flatMap(([prop, build]) => INLINE_SECRETS.map(([form, v]) => [prop, form, build, v] as const)))(
    '%s refuses %s, redacted', (prop, _form, build, value) => expectRefusedRedacted(prop, () => build(value)),
  );
});

describe('credential guard: remote-write specs', () => {
  it.each(INLINE_REMOTE_WRITE)('refuses %s, redacted', (_name, prop, spec) => {
    expectRefusedRedacted(prop, () => metrics(newChart()).addRemoteWrite({ name: 'x', url: 'https://rw.example.com/api/v1/write', ...spec }));
  });

  it('accepts credentials by Secret reference', () => {
    expect(() => metrics(newChart()).addRemoteWrite({
      name: 'x', url: 'https://rw.example.com/api/v1/write', headers: { 'X-Scope-OrgID': 'ml' },
      authorization: { type: 'Bearer', credentials: { name: 'rw', key: 'token' } },
    })).not.toThrow();
    expect(() => metrics(newChart()).addRemoteWrite({ name: 'x', url: 'https://rw.example.com/api/v1/write', basicAuth: { username: { name: 'b', key: 'u' }, password: { name: 'b', key: 'p' } } })).not.toThrow();
  });
});
