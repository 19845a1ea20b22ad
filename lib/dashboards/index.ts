export * from './grafana.js';
export * from './grafana-database.js';
export * from './dashboard-set.js';
export * from './queries.js';
export * from './panels.js';
export * from './infrastructure-dashboards.js';
export * from './service-dashboards.js';
