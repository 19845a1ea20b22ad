import { invalid, requireInt } from '../core/errors.js';
import { validateDnsLabel } from '../core/names.js';
import { Size } from '../core/units.js';
import type { ResourceSpec } from '../core/workload.js';
import { MAX_REPLICAS } from '../core/workload.js';

/** The components of Loki's microservices mode. */
export type LokiComponent =
  | 'distributor' | 'ingester' | 'querier' | 'query-frontend' | 'query-scheduler' | 'compactor' | 'index-gateway' | 'ruler';

export const LOKI_COMPONENTS: readonly LokiComponent[] = [
  'distributor', 'ingester', 'querier', 'query-frontend', 'query-scheduler', 'compactor', 'index-gateway', 'ruler',
];

/** Default requests (and memory limits) per component; override with `resources`. */
export const LOKI_RESOURCES: Record<LokiComponent | 'all', ResourceSpec> = {
  'distributor': { cpu: '500m', memory: '512Mi', memoryLimit: '1Gi' },
  'ingester': { cpu: '1', memory: '2Gi', memoryLimit: '4Gi' },
  'querier': { cpu: '500m', memory: '1Gi', memoryLimit: '2Gi' },
  'query-frontend': { cpu: '250m', memory: '256Mi', memoryLimit: '512Mi' },
  'query-scheduler': { cpu: '100m', memory: '128Mi', memoryLimit: '256Mi' },
  'compactor': { cpu: '500m', memory: '1Gi', memoryLimit: '2Gi' },
  'index-gateway': { cpu: '250m', memory: '512Mi', memoryLimit: '1Gi' },
  'ruler': { cpu: '250m', memory: '512Mi', memoryLimit: '1Gi' },
  'all': { cpu: '1', memory: '2Gi', memoryLimit: '4Gi' },
};

export interface DistributedModeProps {
  /** Replicas of the stateless components (distributor, querier, query-frontend, query-scheduler, index-gateway, ruler). @default 2 */
  readonly replicas?: number;
  /**
   * Ingester StatefulSet replicas. At least 3, so that replication factor 3 survives one ingester
   * down (writes and reads need floor(3/2)+1 = 2 of the 3 replicas of a stream).
   * @default - `replicas`, at least 3
   */
  readonly ingesterReplicas?: number;
  /**
   * Copies of each stream across ingesters; at most `ingesterReplicas`. Loki needs a quorum of
   * floor(RF/2)+1 ingesters per write, so RF 2 on 2 ingesters blocks writes whenever one is
   * down: the default is 3 with 3 or more ingesters and 1 otherwise (the WAL on a persistent
   * volume keeps acknowledged data across restarts).
   * @default - 3 with at least 3 ingesters, else 1
   */
  readonly replicationFactor?: number;
  /** WAL and index volume per ingester. @default '50GB' */
  readonly ingesterVolumeSize?: Size | string;
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** Run the ruler (log alerts). @default true */
  readonly ruler?: boolean;
  /** Per-component requests and memory limits. @default LOKI_RESOURCES */
  readonly resources?: Partial<Record<LokiComponent, ResourceSpec>>;
}

export interface SingleBinaryModeProps {
  /** More than one replica needs object storage (they share it and form a memberlist ring). @default 1 */
  readonly replicas?: number;
  /** @default '50GB' */
  readonly volumeSize?: Size | string;
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** @default LOKI_RESOURCES.all */
  readonly resources?: ResourceSpec;
}

/** How Loki is deployed: microservices (seed 3.1 `mode: microservices`) or one binary (`-target=all`). */
export class LokiMode {
  /** Every component as its own workload, scaled independently. */
  static distributed(props: DistributedModeProps = {}): LokiMode {
    const replicas = requireInt('mode.replicas', props.replicas ?? 2, 1, MAX_REPLICAS);
    const ingesters = requireInt('mode.ingesterReplicas', props.ingesterReplicas ?? Math.max(3, replicas), 1, MAX_REPLICAS);
    const rf = requireInt('mode.replicationFactor', props.replicationFactor ?? (ingesters >= 3 ? 3 : 1), 1, MAX_REPLICAS);
    if (rf > ingesters) {
      throw invalid('mode.replicationFactor', rf, `at most the ingester replica count (${ingesters})`);
    }
    Object.keys(props.resources ?? {}).forEach((k) => {
      if (!LOKI_COMPONENTS.includes(k as LokiComponent)) throw invalid('mode.resources', k, `one of ${LOKI_COMPONENTS.join(', ')}`);
    });
    return new LokiMode('distributed', replicas, ingesters, rf, Size.of(props.ingesterVolumeSize ?? '50GB', 'mode.ingesterVolumeSize'),
      props.storageClassName, props.ruler ?? true, { ...LOKI_RESOURCES, ...(props.resources ?? {}) });
  }

  /** All components in one process: small clusters and trials. */
  static singleBinary(props: SingleBinaryModeProps = {}): LokiMode {
    const replicas = requireInt('mode.replicas', props.replicas ?? 1, 1, MAX_REPLICAS);
    return new LokiMode('single-binary', replicas, replicas, replicas >= 3 ? 3 : 1,
      Size.of(props.volumeSize ?? '50GB', 'mode.volumeSize'), props.storageClassName, true,
      { ...LOKI_RESOURCES, all: props.resources ?? LOKI_RESOURCES.all });
  }

  private constructor(
    readonly kind: 'distributed' | 'single-binary',
    readonly replicas: number,
    readonly ingesterReplicas: number,
    readonly replicationFactor: number,
    readonly volumeSize: Size,
    readonly storageClassName: string | undefined,
    readonly ruler: boolean,
    readonly resources: Record<LokiComponent | 'all', ResourceSpec>,
  ) {
    if (storageClassName !== undefined) validateDnsLabel(storageClassName, 'mode.storageClassName');
  }
}
