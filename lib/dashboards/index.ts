export * from './grafana.js';
export * from './grafana-database.js';
export * from './dashboard-set.js';
export type { ComponentDashboard, FamilyToggles, KubernetesDashboardFamily } from './dashboard-families.js';
export * from './queries.js';
export * from './infrastructure-dashboards.js';
export * from './service-dashboards.js';
export * from './model-performance.js';
/** Panel and variable helpers of the built-in dashboards, for users' own (`panels.graph`, `panels.promQuery`, ...). */
export * as panels from './panels.js';
