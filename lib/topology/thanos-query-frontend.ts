import { Construct } from 'constructs';
import { toYaml } from '../core/yaml.js';
import { NetworkPeer } from '../core/network.js';
import { ResourceSpec } from '../core/workload.js';
import { THANOS_HTTP_PORT, ThanosCommonProps, ThanosComponent } from './thanos-component.js';
import { ThanosQuery } from './thanos-query.js';

export interface ThanosQueryFrontendProps extends ThanosCommonProps {
  readonly query: ThanosQuery;
  /** @default 2 */
  readonly replicas?: number;
  /** In-memory results cache per replica. @default '256MB' */
  readonly cacheSize?: string;
  /** @default { cpu: '200m', memory: '512Mi', memoryLimit: '1Gi' } */
  readonly resources?: ResourceSpec;
}

/**
 * Thanos Query Frontend in front of Query: splits long range queries by day, retries, caches
 * results, and asks for downsampled data when raw data is missing. Grafana's datasource URL.
 */
export class ThanosQueryFrontend extends ThanosComponent {
  constructor(scope: Construct, id: string, props: ThanosQueryFrontendProps) {
    const cache = toYaml({ type: 'IN-MEMORY', config: { max_size: props.cacheSize ?? '256MB' } });
    super(scope, id, {
      ...props,
      name: 'thanos-query-frontend',
      command: 'query-frontend',
      kind: 'Deployment',
      replicas: props.replicas ?? 2,
      grpc: false,
      resources: props.resources ?? { cpu: '200m', memory: '512Mi', memoryLimit: '1Gi' },
      args: () => [
        `--query-frontend.downstream-url=${props.query.httpUrl}`,
        '--query-frontend.compress-responses',
        '--query-range.split-interval=24h',
        '--query-range.request-downsampled',
        `--query-range.response-cache-config=${cache}`,
      ],
      // No client by default (not even the namespace): each is admitted with allowIngress
      // (LongTermStorage.allowQueryClient), Prometheus' scrape aside.
      egressTo: [{ peers: [NetworkPeer.pods(props.query.workload.selectorLabels)], ports: [THANOS_HTTP_PORT] }],
    });
    props.query.workload.allowIngress({ peers: [NetworkPeer.pods(this.workload.selectorLabels)], ports: [THANOS_HTTP_PORT] });
  }
}
