export * from './grafana.js';
export * from './grafana-database.js';
export * from './existing-grafana.js';
export { BUILTIN_DASHBOARDS, DashboardSet } from './dashboard-set.js';
export type { BuiltinDashboard, DashboardSetProps, ProvisionedDashboard } from './dashboard-set.js';
export type { ComponentDashboard, FamilyToggles, KubernetesDashboardFamily } from './dashboard-families.js';
export type { QueryLanguage, PanelQuery } from './queries.js';
export * from './infrastructure-dashboards.js';
export { alertOverviewDashboard, SLO_BUDGET_REMAINING_METRIC, SLO_ERROR_BUDGET_METRIC, DEFAULT_SLO_WINDOWS, sloOverviewDashboard, logsDashboard } from './service-dashboards.js';
export type { SloDashboardOptions } from './service-dashboards.js';
export * from './model-performance.js';
/** Panel and variable helpers of the built-in dashboards, for users' own (`panels.graph`, `panels.promQuery`, ...). */
export * as panels from './panels.js';
