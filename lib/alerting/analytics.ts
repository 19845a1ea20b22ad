// Analytics rules (seed 4.1, 4.2, 6.1, 8.1): SLOs, anomaly detection, forecasts, business, cost
// and performance metrics. Explicit names keep the parsers' helpers internal.
export { BurnRateWindow, MIN_SLO_WINDOW, WORKBOOK_WINDOWS } from './slo-windows.js';
export type { BurnRateSeverity, BurnRateWindowSpec } from './slo-windows.js';
export { SloIndicator } from './slo-indicator.js';
export type { AvailabilityIndicatorProps, EventQueries, LatencyIndicatorProps, SloKind } from './slo-indicator.js';
export { Slo, SLO_ALERT, SLO_RECORDS } from './slo.js';
export type { SloDefinition, SloOptions, SloProps } from './slo.js';
export { AnomalyDetection, AnomalySensitivity } from './anomaly.js';
export type { AnomalyDetectionProps, AnomalySignal } from './anomaly.js';
export { CapacityForecast, FORECAST_ALERT, ForecastResource } from './forecast.js';
export type { CapacityForecastProps } from './forecast.js';
export { BusinessMetrics } from './business.js';
export type { BusinessMetricsProps } from './business.js';
export { OpenCost, OPENCOST_PORT } from './cost-opencost.js';
export type { CostPrometheusRef, OpenCostProps } from './cost-opencost.js';
export { BUDGET_ALERT, CostMetrics, HOURS_PER_MONTH, OpenCostSource } from './cost.js';
export type { CostMetricsProps } from './cost.js';
export { PerformanceAnalysis } from './performance.js';
export type { PerformanceAnalysisProps } from './performance.js';
export * from './analytics-suite.js';
