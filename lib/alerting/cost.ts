import { Construct } from 'constructs';
import { invalid, requireNumber } from '../core/errors.js';
import { validatePromLabelName } from '../core/names.js';
import { IncidentClass, RuleSet } from '../core/rules.js';
import { Duration } from '../core/units.js';
import { MonitorProps, PodMonitor } from '../metrics/monitors.js';
import { OpenCost, OpenCostProps } from './cost-opencost.js';

/** Hours in an average month: OpenCost's own monthly projection factor (`sum(node_total_hourly_cost) * 730`). */
export const HOURS_PER_MONTH = 730;
const GIB = 1073741824;

/** Where the OpenCost series come from. */
export class OpenCostSource {
  /** Deploy OpenCost with the library (`OpenCost` construct). */
  static deploy(props: OpenCostProps): OpenCostSource {
    return new OpenCostSource((scope) => new OpenCost(scope, 'OpenCost', props));
  }

  /** An OpenCost already running in the cluster: add a PodMonitor for its pods. */
  static existing(monitor: MonitorProps): OpenCostSource {
    return new OpenCostSource((scope) => new PodMonitor(scope, 'OpenCostMonitor', monitor));
  }

  /** OpenCost series are already scraped (for example by a Helm-installed ServiceMonitor). */
  static scraped(): OpenCostSource {
    return new OpenCostSource(() => undefined);
  }

  private constructor(readonly bind: (scope: Construct) => Construct | undefined) {}
}

export interface CostMetricsProps {
  /** Name of the PrometheusRule. */
  readonly name: string;
  readonly namespace: string;
  /** @default OpenCostSource.scraped() */
  readonly opencost?: OpenCostSource;
  /** Label that identifies a service in OpenCost's allocation series. @default 'namespace' */
  readonly serviceLabel?: string;
  /**
   * Price per GiB sent by pods, for network cost. OpenCost prices egress only with Kubecost's
   * network-costs DaemonSet, so this is an estimate over all transmitted bytes.
   * @default 0.01 (cross-zone transfer on the major clouds)
   */
  readonly networkPricePerGib?: number;
  /** Monthly budget of the whole cluster, in `currency`. @default - no cluster budget alert */
  readonly monthlyBudget?: number;
  /** Monthly budgets per service (value of `serviceLabel`). @default - none */
  readonly serviceBudgets?: Record<string, number>;
  /** Alert when projected monthly spend exceeds this percentage of the budget. @default 120 (seed 4.1) */
  readonly budgetThresholdPercent?: number;
  /** Spend history the monthly projection averages. @default '7d' (a whole week, so weekends count) */
  readonly projectionWindow?: Duration | string;
  /** @default 'USD' */
  readonly currency?: string;
  /** @default 'medium' */
  readonly incidentClass?: IncidentClass;
  /** @default - RuleSet's default */
  readonly runbookBaseUrl?: string;
}

/** Name of the budget alert. */
export const BUDGET_ALERT = 'CostBudgetExceeded';

/**
 * Cost metrics (seed 4.1 `cost_metrics`): compute, storage and network cost per service per
 * hour from OpenCost's series, cluster totals, a monthly projection and an alert when projected
 * spend exceeds the budget threshold. Records:
 * `cost:service_cost:hourly{<serviceLabel>, category, resource}` (currency per hour),
 * `cost:service_total_cost:hourly`, `cost:cluster_cost:hourly{category}`,
 * `cost:cluster_total_cost:hourly` and `cost:*:projected_monthly`.
 */
export class CostMetrics extends Construct {
  readonly serviceLabel: string;
  readonly budgetThresholdPercent: number;
  readonly projectionWindow: Duration;
  readonly currency: string;
  readonly rules: RuleSet;
  /** The OpenCost deployment or monitor, when one was added. */
  readonly source?: Construct;

  constructor(scope: Construct, id: string, props: CostMetricsProps) {
    super(scope, id);
    this.serviceLabel = validatePromLabelName(props.serviceLabel ?? 'namespace', 'serviceLabel');
    this.budgetThresholdPercent = requireNumber('budgetThresholdPercent', props.budgetThresholdPercent ?? 120, Number.MIN_VALUE);
    this.projectionWindow = Duration.of(props.projectionWindow ?? '7d', 'projectionWindow');
    if (this.projectionWindow.isShorterThan(Duration.hours(1))) throw invalid('projectionWindow', props.projectionWindow, 'a duration of at least 1h');
    this.currency = props.currency ?? 'USD';
    const egress = requireNumber('networkPricePerGib', props.networkPricePerGib ?? 0.01, 0);
    if (props.monthlyBudget !== undefined) requireNumber('monthlyBudget', props.monthlyBudget, Number.MIN_VALUE);
    Object.entries(props.serviceBudgets ?? {}).forEach(([k, v]) => {
      // The key becomes a PromQL string literal: refuse what would break out of it.
      if (k === '' || /["\\\n]/.test(k)) throw invalid('serviceBudgets', k, 'a service name without quotes, backslashes or line breaks');
      requireNumber(`serviceBudgets.${k}`, v, Number.MIN_VALUE);
    });
    this.source = (props.opencost ?? OpenCostSource.scraped()).bind(this);

    this.rules = new RuleSet(this, 'Resource', { name: props.name, namespace: props.namespace, runbookBaseUrl: props.runbookBaseUrl });
    const rates = `${props.name}-hourly`;
    const budget = `${props.name}-budget`;
    this.rules.addGroup(rates, '5m').addGroup(budget, '1h');
    const s = this.serviceLabel;
    const svc = (category: string, resource: string, expr: string) =>
      this.rules.addRecord(rates, { record: 'cost:service_cost:hourly', expr, labels: { category, resource } });
    const perNode = (allocation: string, price: string) =>
      `sum by (${s}) (${allocation} * on (node) group_left() avg by (node) (${price}))`;
    svc('compute', 'cpu', perNode('container_cpu_allocation', 'node_cpu_hourly_cost'));
    svc('compute', 'memory', perNode(`container_memory_allocation_bytes / ${GIB}`, 'node_ram_hourly_cost'));
    svc('compute', 'gpu', perNode('container_gpu_allocation', 'node_gpu_hourly_cost'));
    svc('storage', 'volume', `sum by (${s}) (pod_pvc_allocation / ${GIB} * on (persistentvolume) group_left() avg by (persistentvolume) (pv_hourly_cost))`);
    svc('network', 'egress', `sum by (${s}) (rate(container_network_transmit_bytes_total{pod!=""}[5m])) * 3600 / ${GIB} * ${egress}`);
    this.rules.addRecord(rates, { record: 'cost:service_total_cost:hourly', expr: `sum by (${s}) (cost:service_cost:hourly)` });

    const cluster = (category: string, expr: string) => this.rules.addRecord(rates, { record: 'cost:cluster_cost:hourly', expr, labels: { category } });
    cluster('compute', 'sum(node_total_hourly_cost)');
    cluster('storage', `sum(pv_hourly_cost * on (persistentvolume) group_left() max by (persistentvolume) (kube_persistentvolume_capacity_bytes) / ${GIB})`);
    cluster('network', 'sum(cost:service_cost:hourly{category="network"})');
    this.rules.addRecord(rates, { record: 'cost:cluster_total_cost:hourly', expr: 'sum(cost:cluster_cost:hourly)' });

    const w = this.projectionWindow.toPrometheus();
    for (const scope of ['cluster', 'service'] as const) {
      this.rules.addRecord(budget, {
        record: `cost:${scope}_total_cost:projected_monthly`,
        expr: `avg_over_time(cost:${scope}_total_cost:hourly[${w}]) * ${HOURS_PER_MONTH}`,
      });
    }
    if (props.monthlyBudget !== undefined) this.addBudgetAlert('cost:cluster_total_cost:projected_monthly', props.monthlyBudget, 'cluster', props);
    for (const [service, amount] of Object.entries(props.serviceBudgets ?? {})) {
      this.addBudgetAlert(`cost:service_total_cost:projected_monthly{${s}="${service}"}`, amount, service, props);
    }
  }

  private addBudgetAlert(series: string, amount: number, scope: string, props: CostMetricsProps): void {
    const limit = Number((amount * this.budgetThresholdPercent / 100).toPrecision(12));
    const who = scope === 'cluster' ? 'The cluster' : `Service ${scope}`;
    this.rules.addAlert(`${props.name}-budget`, {
      alert: BUDGET_ALERT,
      expr: `${series} > ${limit}`,
      severity: 'warning',
      incidentClass: props.incidentClass ?? 'medium',
      summary: `${who} is projected to exceed ${this.budgetThresholdPercent}% of its monthly budget`,
      description: `At the average spend of the last ${this.projectionWindow}, ${who.toLowerCase()} costs {{ $value | printf "%.2f" }} ${this.currency} a month, over ${this.budgetThresholdPercent}% of its budget of ${amount} ${this.currency}.`,
      runbook: 'cost-budget-exceeded',
      labels: { budget: scope },
    });
  }
}
