export * from './common.js';
export * from './model-server.js';
export * from './model-serving-rules.js';
export * from './model-serving-monitor.js';
