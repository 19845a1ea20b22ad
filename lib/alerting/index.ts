export * from './alert-rules.js';
export * from './seed-thresholds.js';
export * from './self-monitoring.js';
export * from './receivers.js';
export * from './routing-tree.js';
export * from './incident-routing.js';
export * from './analytics.js';
export * from './kubernetes-rules.js';
