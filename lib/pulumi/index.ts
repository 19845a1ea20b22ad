// Pulumi components: a separate entry point so that cdk8s-only users never load Pulumi.
export * from './encrypted-bucket.js';
export * from './irsa-role.js';
export * from './bucket-replication.js';
export * from './cluster-prerequisites.js';
export * from './monitoring-region.js';
export * from './global-monitoring.js';
export * from './region-context.js';
