import { Construct } from 'constructs';
import { invalid, requireUnique } from '../core/errors.js';
import { validatePromLabelName } from '../core/names.js';
import { NetworkFlow } from '../core/network.js';
import { ResourceSpec } from '../core/workload.js';
import { ThanosCommonProps, ThanosComponent } from './thanos-component.js';

export interface ThanosQueryProps extends ThanosCommonProps {
  /** Labels that name a replica; series differing only in them are deduplicated. */
  readonly replicaLabels: string[];
  /** @default 2 */
  readonly replicas?: number;
  /** @default { cpu: '500m', memory: '1Gi', memoryLimit: '2Gi' } */
  readonly resources?: ResourceSpec;
}

const ENDPOINT = /^(dnssrv\+|dns\+)?[a-z0-9_]([-a-z0-9_.]*[a-z0-9])?(:\d{1,5})?$/;

/**
 * Thanos Query: PromQL over every StoreAPI (sidecars, store gateways, receivers, other regions'
 * queries), deduplicating along the replica labels. Endpoints are added with `addEndpoint`.
 */
export class ThanosQuery extends ThanosComponent {
  readonly replicaLabels: readonly string[];
  private readonly endpoints: string[];

  constructor(scope: Construct, id: string, props: ThanosQueryProps) {
    const endpoints: string[] = [];
    const labels = [...props.replicaLabels];
    labels.forEach((l, i) => validatePromLabelName(l, `replicaLabels[${i}]`));
    super(scope, id, {
      ...props,
      name: 'thanos-query',
      command: 'query',
      kind: 'Deployment',
      replicas: props.replicas ?? 2,
      resources: props.resources ?? { cpu: '500m', memory: '1Gi', memoryLimit: '2Gi' },
      args: () => [
        ...labels.map((l) => `--query.replica-label=${l}`),
        // Long ranges read the 5m and 1h blocks instead of raw samples.
        '--query.auto-downsampling',
        ...endpoints.map((e) => `--endpoint=${e}`),
      ],
    });
    this.replicaLabels = labels;
    this.endpoints = endpoints;
  }

  /** Deduplicate along one more replica label (for example a receiver's replica label). */
  addReplicaLabel(label: string): void {
    validatePromLabelName(label, 'replicaLabel');
    requireUnique('replicaLabel', label, this.replicaLabels);
    (this.replicaLabels as string[]).push(label);
  }

  /** Query another StoreAPI (`host:port`, or `dnssrv+` for every pod of a headless Service). */
  addEndpoint(address: string, egress?: NetworkFlow): void {
    if (!ENDPOINT.test(address)) throw invalid('endpoint', address, 'a StoreAPI address like host:10901 or dnssrv+_grpc._tcp.service.namespace.svc.cluster.local');
    requireUnique('endpoint', address, this.endpoints);
    this.endpoints.push(address);
    if (egress) this.workload.allowEgress(egress);
  }
}
