export * from './core/index.js';
export * from './metrics/index.js';
export * from './ai/index.js';
export * from './alerting/index.js';
export * from './dashboards/index.js';
export * from './logging/index.js';
export * from './platform.js';
export * from './presets/index.js';
