// Analytics rules (seed 4.1, 4.2, 6.1, 8.1): SLOs, anomaly detection, forecasts, business, cost and performance metrics.
export * from './slo-windows.js';
export * from './slo-indicator.js';
export * from './slo.js';
export * from './sloth.js';
export * from './openslo.js';
export * from './anomaly.js';
export * from './forecast.js';
export * from './business.js';
export * from './cost-opencost.js';
export * from './cost.js';
export * from './performance.js';
