import { FamilyAlert, RuleFamily } from './rule-family.js';

// The API server as far as a managed control plane (EKS) exposes it: its /metrics through the
// `default/kubernetes` Service (ApiServerMonitor, job "apiserver"). EKS exposes no etcd,
// scheduler or controller-manager endpoint, so those are not watched (README).

const API = 'job="apiserver"';
/** Requests that end: watches and proxied connections stay open by design. */
const FINITE = `${API},verb!~"WATCH|CONNECT"`;

const errorRatio = (window: string) =>
  `(sum(rate(apiserver_request_total{${FINITE},code=~"5.."}[${window}])) / sum(rate(apiserver_request_total{${FINITE}}[${window}])))`;

/** Multi-window burn rate (fast: 1h and 5m at 14.4x, slow: 6h and 30m at 6x) of the availability objective. */
const burn = (severity: 'warning' | 'critical', long: string, short: string, factor: number, forDuration: string): FamilyAlert => ({
  alert: 'KubeApiServerErrorBudgetBurn', severity, category: 'outage', for: forDuration,
  expr: (c) => {
    const budget = Number(((100 - c.t.availabilityObjectivePercent) / 100).toPrecision(6));
    return `${errorRatio(long)} > ${factor} * ${budget} and ${errorRatio(short)} > ${factor} * ${budget}`;
  },
  summary: `API server burns its error budget (${long} window)`,
  description: `{{ $value | humanizePercentage }} of the API server requests failed with 5xx over ${long} and ${short}: at this rate the availability objective is missed.`,
});

const clientCert = (severity: 'warning' | 'critical'): FamilyAlert => ({
  alert: 'KubeClientCertificateExpiration', severity, category: 'security', for: '5m',
  expr: (c) => `histogram_quantile(0.01, sum by (le) (rate(apiserver_client_certificate_expiration_seconds_bucket{${API}}[5m]))) < ${c.t[severity === 'warning' ? 'certificateWarningDays' : 'certificateCriticalDays'] * 86400}`,
  summary: 'A client certificate used against the API server expires soon',
  description: 'Clients authenticate to the API server with a certificate that expires in {{ $value | humanizeDuration }}.',
});

export const CONTROL_PLANE_RULES: RuleFamily = {
  group: 'kubernetes-control-plane',
  thresholds: { availabilityObjectivePercent: 99, latencyP99Seconds: 1, certificateWarningDays: 7, certificateCriticalDays: 1 },
  alerts: [
    { alert: 'KubeApiServerDown', severity: 'critical', category: 'outage', for: '15m',
      expr: () => `absent(up{${API}} == 1)`,
      summary: 'The API server is not scraped',
      description: 'Prometheus has not scraped the API server for 15 minutes: it is down or unreachable, and the control-plane alerts are blind.' },
    burn('critical', '1h', '5m', 14.4, '2m'),
    burn('warning', '6h', '30m', 6, '15m'),
    // LIST at cluster scope is slow by nature on big clusters: only single-object verbs are judged.
    { alert: 'KubeApiServerLatencyHigh', severity: 'warning', for: '10m',
      expr: (c) => `histogram_quantile(0.99, sum by (verb, le) (rate(apiserver_request_duration_seconds_bucket{${API},verb=~"GET|POST|PUT|PATCH|DELETE"}[5m]))) > ${c.t.latencyP99Seconds}`,
      summary: 'API server {{ $labels.verb }} requests are slow',
      description: 'The p99 latency of {{ $labels.verb }} requests to the API server is {{ $value | humanizeDuration }}.' },
    clientCert('warning'),
    clientCert('critical'),
  ],
};
