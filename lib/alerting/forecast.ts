import { Construct } from 'constructs';
import { invalid, requireNumber, requireUnique } from '../core/errors.js';
import { validatePromQL } from '../core/promql.js';
import { IncidentClass, RuleSet, Severity } from '../core/rules.js';
import { Duration } from '../core/units.js';

/** Filesystems that are not capacity: memory-backed, image layers and read-only images. */
const REAL_FILESYSTEMS = 'fstype!~"tmpfs|ramfs|overlay|squashfs|nsfs",mountpoint!=""';

/** A resource whose utilisation (0 to 1 of capacity) is forecast. */
export class ForecastResource {
  /** Node CPU busy ratio from node-exporter (seed 4.2 "CPU usage forecasting"). */
  static nodeCpu(): ForecastResource {
    return new ForecastResource('node_cpu', '1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))', 'node CPU');
  }

  /** Node memory used ratio (seed 4.2 "Memory consumption trends"). */
  static nodeMemory(): ForecastResource {
    return new ForecastResource('node_memory', '1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes', 'node memory');
  }

  /** Filesystem used ratio per device and mount point (seed 4.2 "Storage growth patterns"). */
  static nodeFilesystem(): ForecastResource {
    return new ForecastResource(
      'node_filesystem',
      `1 - node_filesystem_avail_bytes{${REAL_FILESYSTEMS}} / node_filesystem_size_bytes{${REAL_FILESYSTEMS}}`,
      'filesystem {{ $labels.mountpoint }}',
    );
  }

  /** Any utilisation ratio, 0 to 1 of capacity. `name` becomes `capacity:<name>_utilisation:ratio`. */
  static custom(name: string, utilisation: string, description?: string): ForecastResource {
    return new ForecastResource(name, utilisation, description ?? name);
  }

  private constructor(readonly name: string, readonly utilisation: string, readonly description: string) {
    if (typeof name !== 'string' || !/^[a-z_][a-z0-9_]*$/.test(name)) {
      throw invalid('resources.name', name, 'a lowercase name of letters, digits and "_", like gpu_memory');
    }
    validatePromQL(utilisation, `resources.${name}.utilisation`);
  }
}

export interface CapacityForecastProps {
  /** Name of the PrometheusRule. */
  readonly name: string;
  readonly namespace: string;
  /** @default [nodeCpu, nodeMemory, nodeFilesystem] */
  readonly resources?: ForecastResource[];
  /** How far ahead to forecast. @default '7d' (seed 4.2 horizon) */
  readonly horizon?: Duration | string;
  /** How often forecasts are recomputed: the forecast group's interval. @default '1h' (seed 4.2 update_frequency) */
  readonly interval?: Duration | string;
  /** History the linear regression is fitted on. @default - the horizon */
  readonly lookback?: Duration | string;
  /** Interval at which utilisation is recorded for the regression. @default '5m' */
  readonly sampleInterval?: Duration | string;
  /** Utilisation counted as running out. @default 1 (100% of capacity) */
  readonly capacity?: number;
  /** How long a forecast must persist before alerting. @default - one `interval` (two consecutive forecasts) */
  readonly for?: Duration | string;
  /** @default 'warning' */
  readonly severity?: Severity;
  /** @default 'medium' (seed 2.2 "capacity warnings") */
  readonly incidentClass?: IncidentClass;
  /** @default - RuleSet's default */
  readonly runbookBaseUrl?: string;
}

/** Name of the forecast alert; the `resource` label says which. */
export const FORECAST_ALERT = 'ResourceExhaustionForecast';

/**
 * Capacity forecasting with `predict_linear` (seed 4.2 `resource_prediction`, 8.1
 * `capacity_planning` linear regression): utilisation is recorded every `sampleInterval`, and
 * every `interval` a linear fit over `lookback` predicts it `horizon` ahead. The alert fires when
 * a resource still below capacity is predicted to reach it within the horizon.
 */
export class CapacityForecast extends Construct {
  readonly horizon: Duration;
  readonly interval: Duration;
  readonly lookback: Duration;
  readonly capacity: number;
  readonly rules: RuleSet;
  private readonly props: CapacityForecastProps;
  private readonly names: string[] = [];
  private readonly sampleInterval: Duration;

  constructor(scope: Construct, id: string, props: CapacityForecastProps) {
    super(scope, id);
    this.props = props;
    this.horizon = Duration.of(props.horizon ?? '7d', 'horizon');
    if (this.horizon.milliseconds === 0) throw invalid('horizon', props.horizon, 'a duration above 0s');
    this.interval = Duration.of(props.interval ?? '1h', 'interval');
    this.sampleInterval = Duration.of(props.sampleInterval ?? '5m', 'sampleInterval');
    this.lookback = Duration.of(props.lookback ?? this.horizon, 'lookback');
    if (this.lookback.milliseconds < this.sampleInterval.milliseconds * 2) {
      throw invalid('lookback', this.lookback.toPrometheus(), `at least two samples (${this.sampleInterval.times(2)})`);
    }
    this.capacity = requireNumber('capacity', props.capacity ?? 1, Number.MIN_VALUE, 1);
    this.rules = new RuleSet(this, 'Resource', { name: props.name, namespace: props.namespace, runbookBaseUrl: props.runbookBaseUrl });
    this.rules.addGroup(`${props.name}-utilisation`, this.sampleInterval);
    this.rules.addGroup(`${props.name}-forecast`, this.interval);
    (props.resources ?? [ForecastResource.nodeCpu(), ForecastResource.nodeMemory(), ForecastResource.nodeFilesystem()])
      .forEach((r) => this.addResource(r));
    // Resources may still come from addResource, so "none" is refused at synthesis, not here.
    this.rules.addCheck(() => (this.names.length === 0 ? invalid('resources', [], 'at least one resource') : undefined));
  }

  /** Forecast record of a resource, e.g. `capacity:node_filesystem_utilisation:predict_linear7d`. */
  forecastRecord(resource: string): string {
    return `capacity:${resource}_utilisation:predict_linear${this.horizon.toPrometheus()}`;
  }

  addResource(resource: ForecastResource): this {
    requireUnique('resources.name', resource.name, this.names);
    const current = `capacity:${resource.name}_utilisation:ratio`;
    const forecast = this.forecastRecord(resource.name);
    const labels = { resource: resource.name };
    this.rules.addRecord(`${this.props.name}-utilisation`, { record: current, expr: resource.utilisation, labels });
    this.rules.addRecord(`${this.props.name}-forecast`, {
      record: forecast,
      expr: `predict_linear(${current}[${this.lookback.toPrometheus()}], ${this.horizon.seconds})`,
      labels,
    });
    this.rules.addAlert(`${this.props.name}-forecast`, {
      alert: FORECAST_ALERT,
      expr: `${forecast} >= ${this.capacity} and ${current} < ${this.capacity}`,
      for: this.props.for ?? this.interval,
      severity: this.props.severity ?? 'warning',
      incidentClass: this.props.incidentClass ?? 'medium',
      summary: `${resource.description} is forecast to run out within ${this.horizon}`,
      description: `At the growth of the last ${this.lookback}, ${resource.description} on {{ $labels.instance }} reaches {{ $value | humanizePercentage }} of capacity within ${this.horizon}.`,
      runbook: 'resource-exhaustion-forecast',
      labels,
    });
    this.names.push(resource.name);
    return this;
  }
}
