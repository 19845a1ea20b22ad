import { Construct } from 'constructs';
import { DEFAULT_NAMES } from '../core/default-names.js';
import { invalid } from '../core/errors.js';
import { validateDnsLabel, validateK8sLabels } from '../core/names.js';
import { requireUrlWithoutCredential } from '../core/secrets.js';
import { DATASOURCE_UIDS } from './grafana.js';

/** What a {@link DashboardSet} needs from the Grafana that loads its dashboards. */
export interface DashboardHost {
  /** Prefix of the dashboard ConfigMaps' names. */
  readonly name: string;
  /** Namespace of the dashboard ConfigMaps. */
  readonly namespace: string;
  /** External URL of Grafana, for dashboard links. */
  readonly rootUrl: string;
  /** Datasource uid per role: the dashboards' datasource variables default to these. */
  readonly datasources: { readonly prometheus: string; readonly alertmanager?: string; readonly loki?: string };
  /** Labels every dashboard ConfigMap carries (a sidecar's discovery label). */
  readonly dashboardLabels?: Readonly<Record<string, string>>;
  /** Called for each dashboard ConfigMap, so the host can mount it. */
  addDashboardConfigMap(name: string): void;
}

/** Props of {@link ExistingGrafana}. */
export interface ExistingGrafanaProps {
  /** Namespace its dashboard sidecar watches (kube-prometheus-stack: the release namespace). */
  readonly namespace: string;
  /** External URL of that Grafana (`https://grafana.example.com`), for dashboard links. */
  readonly rootUrl: string;
  /** Uids of its datasources; the dashboards' `$datasource` and `$loki` variables default to them. */
  readonly datasources: { readonly prometheus: string; readonly alertmanager?: string; readonly loki?: string };
  /**
   * The label the Grafana chart's dashboard sidecar discovers ConfigMaps by
   * (`sidecar.dashboards.label` / `labelValue`).
   * @default { grafana_dashboard: '1' } (kube-prometheus-stack's values)
   */
  readonly sidecarLabels?: Record<string, string>;
  /** Prefix of the ConfigMaps' names. @default 'ai-monitoring' */
  readonly name?: string;
}

const UID = /^[A-Za-z0-9_-]{1,40}$/;

/**
 * A Grafana you already run, with the Grafana Helm chart's dashboard sidecar: a
 * {@link DashboardSet} on it writes each dashboard as a ConfigMap carrying the sidecar's label,
 * with the datasource variables pointing at your datasource uids. It creates no object itself.
 */
export class ExistingGrafana extends Construct implements DashboardHost {
  readonly name: string;
  readonly namespace: string;
  readonly rootUrl: string;
  readonly datasources: DashboardHost['datasources'];
  readonly dashboardLabels: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ExistingGrafanaProps) {
    super(scope, id);
    if (typeof props !== 'object' || props === null) throw invalid('props', props, '{ namespace, rootUrl, datasources }');
    this.namespace = validateDnsLabel(props.namespace, 'namespace');
    this.name = validateDnsLabel(props.name ?? DEFAULT_NAMES.existingGrafanaPrefix, 'name');
    if (typeof props.rootUrl !== 'string' || !/^https?:\/\/[^/\s]+/.test(props.rootUrl)) throw invalid('rootUrl', props.rootUrl, 'an http(s) URL like https://grafana.example.com');
    this.rootUrl = requireUrlWithoutCredential('rootUrl', props.rootUrl).replace(/\/+$/, '');
    const ds = props.datasources;
    if (typeof ds !== 'object' || ds === null) throw invalid('datasources', ds, '{ prometheus: <uid> } and optionally alertmanager and loki uids');
    for (const [role, uid] of Object.entries(ds)) {
      if (!(role in DATASOURCE_UIDS)) throw invalid(`datasources.${role}`, role, `one of ${Object.keys(DATASOURCE_UIDS).join(', ')}`);
      if (typeof uid !== 'string' || !UID.test(uid)) throw invalid(`datasources.${role}`, uid, 'a Grafana datasource uid (1 to 40 letters, digits, "-" or "_")');
    }
    if (ds.prometheus === undefined) throw invalid('datasources.prometheus', undefined, 'the uid of the Prometheus datasource');
    this.datasources = { ...ds };
    const labels = props.sidecarLabels ?? { grafana_dashboard: '1' };
    if (typeof labels !== 'object' || labels === null || Object.keys(labels).length === 0) throw invalid('sidecarLabels', labels, 'the label its dashboard sidecar selects, like { grafana_dashboard: "1" }');
    this.dashboardLabels = validateK8sLabels(labels, 'sidecarLabels');
  }

  /** The sidecar discovers ConfigMaps by label: nothing to mount. */
  addDashboardConfigMap(_name: string): void {}
}
