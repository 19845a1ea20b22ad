import { FamilyAlert, maxBy, RuleFamily } from './rule-family.js';

// Grafana 12.1 (IMAGES.grafana), names checked against upstream source:
// - grafana/grafana pkg/services/sqlstore/database_wrapper.go: histogram
//   `grafana_database_queries_duration_seconds{status="success"|"error"}`, registered only when
//   `[database] instrument_queries` is true (pkg/setting, default false; the Grafana construct sets
//   GF_DATABASE_INSTRUMENT_QUERIES=true so the series exist).
// - grafana/grafana pkg/services/ngalert/notifier/multiorg_alertmanager.go: the unified-alerting
//   gossip peer is created (grafana/alerting cluster/cluster.go, a wrapper of
//   prometheus/alertmanager's cluster package) with the ngalert registerer, unprefixed, so Grafana's
//   /metrics carries `alertmanager_cluster_members` and `alertmanager_cluster_failed_peers` (listed
//   in docs/sources/alerting/set-up/configure-high-availability; seen on Grafana peers in
//   grafana/grafana issues #55938 and #64805). Selected by `job` so the platform's own Alertmanager
//   cluster, which exports the same names, is not mixed in.

export const GRAFANA_GROUP = 'platform-grafana';

/** The Grafana the rules watch: its scrape `job` (`<namespace>/<PodMonitor name>`) and replica count. */
export interface GrafanaTarget {
  /** `job` of the Grafana scrape, for example `monitoring/grafana`. */
  readonly job: string;
  /** Replicas of the Deployment; the HA peer alerts exist only above 1 (no gossip otherwise). */
  readonly replicas: number;
}

/** Database query errors and, with more than one replica, the unified-alerting HA peers. */
export function grafanaRules(target: GrafanaTarget): RuleFamily {
  const sel = (metric: string, matchers?: string) => `${metric}{job="${target.job}"${matchers ? `,${matchers}` : ''}}`;
  const queries = (matchers?: string) => `sum by (namespace, pod) (rate(${sel('grafana_database_queries_duration_seconds_count', matchers)}[5m]))`;
  const alerts: FamilyAlert[] = [
    { alert: 'GrafanaDatabaseErrors', severity: 'warning', for: '10m',
      expr: (c) => `${queries('status="error"')} / ${queries()} > ${c.t.databaseErrorRatio}`,
      summary: 'Grafana {{ $labels.pod }} gets database errors',
      description: '{{ $value | humanizePercentage }} of the database queries of Grafana {{ $labels.namespace }}/{{ $labels.pod }} fail: dashboards, alert state and sessions may not load or save.' },
  ];
  if (target.replicas > 1) {
    alerts.push(
      { alert: 'GrafanaAlertingPeersFailed', severity: 'warning', for: '10m',
        expr: () => `${maxBy('namespace, pod', sel('alertmanager_cluster_failed_peers'))} > 0`,
        summary: 'Grafana {{ $labels.pod }} cannot reach {{ $value }} alerting peer(s)',
        description: 'The unified-alerting gossip of Grafana {{ $labels.namespace }}/{{ $labels.pod }} has failed peers (TCP/UDP 9094): Grafana-managed alerts may notify twice and silences are not shared.' },
      { alert: 'GrafanaAlertingPeersMissing', severity: 'warning', for: '15m',
        expr: () => `${maxBy('namespace, pod', sel('alertmanager_cluster_members'))} < ${target.replicas}`,
        summary: 'Grafana {{ $labels.pod }} sees {{ $value }} of its alerting peers',
        description: `Grafana {{ $labels.namespace }}/{{ $labels.pod }} sees {{ $value }} member(s) in its unified-alerting cluster, fewer than the ${target.replicas} replicas: the replicas are split and deduplicate nothing.` },
    );
  }
  return { group: GRAFANA_GROUP, thresholds: { databaseErrorRatio: 0.05 }, alerts };
}
