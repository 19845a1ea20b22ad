import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { Construct } from 'constructs';
import { invalid, requireUnique } from '../core/errors.js';
import { K8sObject } from '../core/k8s-object.js';
import { COMPONENT_DASHBOARDS, ComponentDashboard, FamilyToggles, KUBERNETES_DASHBOARDS, KubernetesDashboardFamily, selectFamilies } from './dashboard-families.js';
import type { DashboardHost } from './existing-grafana.js';
import { DATASOURCE_UIDS } from './grafana.js';
import { resourceUtilizationDashboard, systemHealthDashboard } from './infrastructure-dashboards.js';
import { dashboardPanels, PanelQuery, panelQueries, validatePanelLogQL, validatePanelPromQL } from './queries.js';
import { modelPerformanceDashboard } from './model-performance.js';
import { alertOverviewDashboard, DEFAULT_SLO_WINDOWS, logsDashboard, sloOverviewDashboard } from './service-dashboards.js';

/** The library's dashboards. */
export type BuiltinDashboard = 'system-health' | 'model-performance' | 'resource-utilization' | 'alert-overview' | 'slo-overview' | 'logs';

export const BUILTIN_DASHBOARDS: readonly BuiltinDashboard[] = [
  'system-health', 'model-performance', 'resource-utilization', 'alert-overview', 'slo-overview', 'logs',
];

export interface DashboardSetProps {
  /** The Grafana that loads the dashboards: the library's `Grafana` or an `ExistingGrafana`. */
  readonly grafana: DashboardHost;
  /** @default - all of BUILTIN_DASHBOARDS ('logs' only when Grafana has a Loki datasource) */
  readonly builtins?: BuiltinDashboard[];
  /**
   * Kubernetes dashboards (README "Dashboards"): `true` for every family, or per family
   * (`compute`: cluster, namespace, workload, pod and node; `networking`: cluster, namespace,
   * workload and pod; `storage`: persistent volumes; `nodes`: node overview; `kubelet`;
   * `apiServer`, which needs the API server scraped); a family missing from the object is on.
   * @default - none
   */
  readonly kubernetes?: boolean | FamilyToggles<KubernetesDashboardFamily>;
  /**
   * Overviews of the platform's own components (`prometheus`, `alertmanager`, `thanos`, `loki`,
   * `grafana`): `true` for all, or per component. `MonitoringPlatform` turns on only those it deploys.
   * @default - none
   */
  readonly components?: boolean | FamilyToggles<ComponentDashboard>;
  /** Windows of the `slo:sli_error:ratio_rate<window>` recording rules. @default DEFAULT_SLO_WINDOWS: 5m, 30m, 1h, 2h, 6h, 1d, 3d (the `Slo` construct's default alert windows) */
  readonly sloWindows?: string[];
  /**
   * Objective per `slo` label value (0.999 = 99.9%), for burn rates of SLOs whose rules do not
   * record their error budget (not written by the `Slo` construct).
   * @default - burn rates against the recorded `slo:error_budget:ratio`
   */
  readonly sloObjectives?: Record<string, number>;
  /**
   * Names of the SLO recording rules the SLO dashboard reads (each labelled `slo`), for SLO
   * rules written by another tool. The defaults are what the `Slo` construct records (SLO_RECORDS).
   * @default - `slo:period_error_budget_remaining:ratio` and `slo:error_budget:ratio`
   */
  readonly sloMetrics?: {
    /** Remaining error budget over the SLO period (1 = untouched). @default SLO_BUDGET_REMAINING_METRIC */
    readonly budgetRemaining?: string;
    /** Error budget (1 - objective) per SLO, the burn rates' denominator. @default SLO_ERROR_BUDGET_METRIC (unless `sloObjectives` are given) */
    readonly errorBudget?: string;
  };
}

/** A dashboard as provisioned: where to open it and what it shows. */
export interface ProvisionedDashboard {
  readonly uid: string;
  readonly title: string;
  /** `<grafana root url>/d/<uid>/<slug>` */
  readonly url: string;
  /** Panel titles (rows excluded). */
  readonly panels: string[];
  /** Row titles: the dashboard's sections. */
  readonly rows: string[];
  /** ConfigMap holding the dashboard JSON. */
  readonly configMap: string;
}

const UID = /^[A-Za-z0-9_-]{1,40}$/;

/** Grafana's URL slug of a title: lowercase words joined by "-". */
export function dashboardSlug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/** Datasource variables default to the host's datasource uids (the library's own are DATASOURCE_UIDS). */
function pointDatasources(built: dashboard.Dashboard, uids: DashboardHost['datasources']): dashboard.Dashboard {
  const byType: Record<string, string | undefined> = { prometheus: uids.prometheus, loki: uids.loki };
  const list = built.templating?.list?.map((v) => {
    const uid = v.type === 'datasource' && typeof v.query === 'string' ? byType[v.query] : undefined;
    if (!uid || uid === DATASOURCE_UIDS[v.query as 'prometheus' | 'loki']) return v;
    return { ...v, current: { selected: true, text: v.current?.text ?? uid, value: uid } };
  });
  return list ? { ...built, templating: { ...built.templating, list } } : built;
}

function isBuilder(d: unknown): d is cog.Builder<dashboard.Dashboard> {
  return typeof (d as { build?: unknown }).build === 'function';
}

/**
 * Dashboards provisioned into a {@link Grafana} from ConfigMaps (seed 3.2): every dashboard is
 * built with the Grafana Foundation SDK, every PromQL panel query is parsed when it is added,
 * and each dashboard's URL is known before deployment (`dashboardUrls`).
 */
export class DashboardSet extends Construct {
  readonly grafana: DashboardHost;
  /** Dashboard URL by uid, as the seed's deploy step returns them. */
  readonly dashboardUrls: Readonly<Record<string, string>>;
  private readonly urls: Record<string, string> = {};
  private readonly entries: Array<{ dashboard: dashboard.Dashboard; provisioned: ProvisionedDashboard }> = [];

  constructor(scope: Construct, id: string, props: DashboardSetProps) {
    super(scope, id);
    this.grafana = props.grafana;
    this.dashboardUrls = this.urls;
    const builtins = props.builtins ?? BUILTIN_DASHBOARDS.filter((b) => b !== 'logs' || props.grafana.datasources.loki);
    for (const b of builtins) {
      if (!BUILTIN_DASHBOARDS.includes(b)) throw invalid('builtins', b, `one of ${BUILTIN_DASHBOARDS.join(', ')}`);
    }
    if (builtins.includes('logs') && !props.grafana.datasources.loki) {
      throw invalid('builtins', 'logs', "listed only when the Grafana has a 'loki' datasource");
    }
    const factories: Record<BuiltinDashboard, () => dashboard.DashboardBuilder> = {
      'system-health': systemHealthDashboard,
      'model-performance': modelPerformanceDashboard,
      'resource-utilization': resourceUtilizationDashboard,
      'alert-overview': alertOverviewDashboard,
      'slo-overview': () => sloOverviewDashboard({
        windows: props.sloWindows ?? [...DEFAULT_SLO_WINDOWS],
        objectives: props.sloObjectives ?? {},
        budgetRemainingMetric: props.sloMetrics?.budgetRemaining,
        errorBudgetMetric: props.sloMetrics?.errorBudget,
      }),
      logs: logsDashboard,
    };
    builtins.forEach((b) => this.addDashboard(factories[b]()));
    selectFamilies('kubernetes', props.kubernetes, KUBERNETES_DASHBOARDS).forEach((f) => this.addDashboard(f()));
    selectFamilies('components', props.components, COMPONENT_DASHBOARDS).forEach((f) => this.addDashboard(f()));
  }

  /**
   * Provisions a dashboard: a Foundation SDK builder (built now) or a built `Dashboard`. It
   * needs a uid (its URL) unique in the set, and every PromQL and LogQL query of its panels must pass
   * the library's checks (lib/core/promql.ts, lib/core/logql.ts).
   */
  addDashboard(d: cog.Builder<dashboard.Dashboard> | dashboard.Dashboard): ProvisionedDashboard {
    const built = pointDatasources(isBuilder(d) ? d.build() : d, this.grafana.datasources);
    const uid = built.uid ?? '';
    if (!UID.test(uid)) throw invalid('dashboard.uid', built.uid, 'a Grafana uid of 1 to 40 letters, digits, "-" or "_"');
    requireUnique('dashboard.uid', uid, this.entries.map((e) => e.provisioned.uid));
    if (!built.title?.trim()) throw invalid(`dashboards.${uid}.title`, built.title, 'a non-empty title');
    for (const query of panelQueries(built)) {
      const prop = `dashboards.${uid}.panels["${query.panel}"].expr`;
      if (query.language === 'promql') validatePanelPromQL(query.expr, prop);
      else validatePanelLogQL(query.expr, prop);
    }
    const configMap = `${this.grafana.name}-dashboard-${uid.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '')}`;
    requireUnique('dashboard ConfigMap', configMap, this.entries.map((e) => e.provisioned.configMap));
    this.grafana.addDashboardConfigMap(configMap);
    new K8sObject(this, `Dashboard-${uid}`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: configMap, namespace: this.grafana.namespace, labels: { ...(this.grafana.dashboardLabels ?? {}), 'grafana.com/dashboard-uid': uid } },
      data: { [`${uid}.json`]: JSON.stringify(built) },
    });
    const provisioned: ProvisionedDashboard = {
      uid,
      title: built.title,
      url: `${this.grafana.rootUrl}/d/${uid}/${dashboardSlug(built.title)}`,
      panels: dashboardPanels(built).map((p) => p.title ?? ''),
      rows: (built.panels ?? []).filter((p) => p.type === 'row').map((p) => p.title ?? ''),
      configMap,
    };
    this.urls[uid] = provisioned.url;
    this.entries.push({ dashboard: built, provisioned });
    return provisioned;
  }

  /** The provisioned dashboards, in the order they were added. */
  get dashboards(): ProvisionedDashboard[] {
    return this.entries.map((e) => e.provisioned);
  }

  /** Every panel query of every dashboard, for checks that each metric read is produced. */
  queries(): PanelQuery[] {
    return this.entries.flatMap((e) => panelQueries(e.dashboard));
  }
}
