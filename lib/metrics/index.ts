export * from './monitors.js';
export * from './node-exporter.js';
export * from './kube-state-metrics.js';
export * from './kubelet-monitor.js';
export * from './metrics-stack.js';
export * from './existing-prometheus.js';
