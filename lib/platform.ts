import { Construct } from 'constructs';
import { MetricsStack, MetricsStackProps } from './metrics/metrics-stack.js';

/** One region of the monitoring platform, described by one props object. */
export interface MonitoringPlatformProps {
  /** Prometheus, exporters and their storage. */
  readonly metrics: MetricsStackProps;
}

/**
 * Composes a whole region of the platform from one props object. Each part is also usable on
 * its own; this construct only wires them together (Prometheus to Alertmanager, dashboards to
 * datasources, monitors to the Prometheus pods' NetworkPolicy).
 */
export class MonitoringPlatform extends Construct {
  readonly metrics: MetricsStack;

  constructor(scope: Construct, id: string, props: MonitoringPlatformProps) {
    super(scope, id);
    this.metrics = new MetricsStack(this, 'Metrics', props.metrics);
  }
}
