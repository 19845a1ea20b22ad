import { Construct } from 'constructs';
import { requireArray, requireObject, within } from '../core/errors.js';
import type { MetricsStack } from '../metrics/metrics-stack.js';
import { AnomalyDetection, AnomalyDetectionProps } from './anomaly.js';
import { BusinessMetrics, BusinessMetricsProps } from './business.js';
import { CostMetrics, CostMetricsProps, OpenCostSource } from './cost.js';
import { CapacityForecast, CapacityForecastProps } from './forecast.js';
import { PerformanceAnalysis, PerformanceAnalysisProps } from './performance.js';
import { Slo, SloProps } from './slo.js';

type Local<T> = Omit<T, 'namespace' | 'runbookBaseUrl'>;

/** Operational analytics of one region (seed 4.1, 4.2, 6.1, 8.1). Every part is optional. */
export interface AnalyticsProps {
  readonly slos?: Array<Local<SloProps>>;
  readonly anomalyDetection?: Array<Local<AnomalyDetectionProps>>;
  readonly forecast?: Local<CapacityForecastProps>;
  readonly business?: Omit<BusinessMetricsProps, 'namespace'>;
  /** Cost per service from OpenCost; `deployOpenCost: false` when OpenCost already runs and is scraped. */
  readonly cost?: Omit<Local<CostMetricsProps>, 'opencost'> & { readonly deployOpenCost?: boolean };
  /** 1m/5m performance records, optionally with anomaly detection over their signals (6.1). */
  readonly performance?: Omit<PerformanceAnalysisProps, 'namespace'> & {
    readonly anomalyDetection?: Omit<Local<AnomalyDetectionProps>, 'signals'>;
  };
}

export interface AnalyticsSuiteProps extends AnalyticsProps {
  readonly metrics: MetricsStack;
  readonly runbookBaseUrl?: string;
}

/** Composes the analytics constructs of a region into the Prometheus namespace. */
export class AnalyticsSuite extends Construct {
  readonly slos: Slo[];
  readonly anomalyDetection: AnomalyDetection[];
  readonly forecast?: CapacityForecast;
  readonly business?: BusinessMetrics;
  readonly cost?: CostMetrics;
  readonly performance?: PerformanceAnalysis;

  constructor(scope: Construct, id: string, props: AnalyticsSuiteProps) {
    super(scope, id);
    const namespace = props.metrics.namespace;
    const common = { namespace, runbookBaseUrl: props.runbookBaseUrl };
    // Each part's errors name its full prop path (`slos[0].objective`, `forecast.horizon`).
    const each = <T extends { name: string }, R>(prop: string, list: readonly T[] | undefined, build: (item: T) => R): R[] =>
      requireArray(prop, list ?? []).map((item, i) => within(`${prop}[${i}]`, () => build(requireObject<T>('', item, 'props with a name'))));
    const part = <T extends object>(prop: string, v: T | undefined): T | undefined => (v === undefined ? undefined : requireObject<T>(prop, v));
    this.slos = each('slos', props.slos, (slo) => new Slo(this, `Slo-${slo.name}`, { ...slo, ...common }));
    this.anomalyDetection = each('anomalyDetection', props.anomalyDetection, (d) => new AnomalyDetection(this, `Anomaly-${d.name}`, { ...d, ...common }));
    const forecast = part('forecast', props.forecast);
    if (forecast) this.forecast = within('forecast', () => new CapacityForecast(this, 'Forecast', { ...forecast, ...common }));
    const business = part('business', props.business);
    if (business) this.business = within('business', () => new BusinessMetrics(this, 'Business', { ...business, namespace }));
    const costProps = part('cost', props.cost);
    if (costProps) {
      const { deployOpenCost, ...cost } = costProps;
      const opencost = deployOpenCost === false
        ? OpenCostSource.scraped()
        : OpenCostSource.deploy({ prometheus: props.metrics, clusterId: props.metrics.cluster });
      this.cost = within('cost', () => new CostMetrics(this, 'Cost', { ...cost, ...common, opencost }));
    }
    const performanceProps = part('performance', props.performance);
    if (performanceProps) {
      const { anomalyDetection, ...performance } = performanceProps;
      const analysis = within('performance', () => new PerformanceAnalysis(this, 'Performance', { ...performance, namespace }));
      this.performance = analysis;
      if (anomalyDetection) {
        this.anomalyDetection.push(within('performance.anomalyDetection', () => new AnomalyDetection(this, 'PerformanceAnomalies', { ...anomalyDetection, ...common, signals: analysis.anomalySignals() })));
      }
    }
  }
}
