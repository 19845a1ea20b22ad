import { Construct } from 'constructs';
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
    this.slos = (props.slos ?? []).map((slo) => new Slo(this, `Slo-${slo.name}`, { ...slo, ...common }));
    this.anomalyDetection = (props.anomalyDetection ?? []).map((d) => new AnomalyDetection(this, `Anomaly-${d.name}`, { ...d, ...common }));
    if (props.forecast) this.forecast = new CapacityForecast(this, 'Forecast', { ...props.forecast, ...common });
    if (props.business) this.business = new BusinessMetrics(this, 'Business', { ...props.business, namespace });
    if (props.cost) {
      const { deployOpenCost, ...cost } = props.cost;
      const opencost = deployOpenCost === false
        ? OpenCostSource.scraped()
        : OpenCostSource.deploy({ prometheus: props.metrics, clusterId: props.metrics.cluster });
      this.cost = new CostMetrics(this, 'Cost', { ...cost, ...common, opencost });
    }
    if (props.performance) {
      const { anomalyDetection, ...performance } = props.performance;
      this.performance = new PerformanceAnalysis(this, 'Performance', { ...performance, namespace });
      if (anomalyDetection) {
        this.anomalyDetection.push(new AnomalyDetection(this, 'PerformanceAnomalies', { ...anomalyDetection, ...common, signals: this.performance.anomalySignals() }));
      }
    }
  }
}
