import { Construct } from 'constructs';
import { FLOWS } from '../core/network.js';
import { Size } from '../core/units.js';
import { ResourceSpec } from '../core/workload.js';
import { ObjectStorageRef } from './object-storage.js';
import { RetentionTiers } from './retention-tiers.js';
import { ThanosCommonProps, ThanosComponent } from './thanos-component.js';

export interface ThanosCompactorProps extends ThanosCommonProps {
  readonly objectStorage: ObjectStorageRef;
  readonly tiers: RetentionTiers;
  /** Scratch space; Thanos recommends about 100GB. @default '100GB' */
  readonly volumeSize?: Size | string;
  readonly storageClassName?: string;
  /** @default { cpu: '1', memory: '2Gi', memoryLimit: '4Gi' } */
  readonly resources?: ResourceSpec;
}

/**
 * Thanos Compactor: compacts, downsamples and applies the retention tiers to one bucket.
 * Always a single replica: it is not concurrency safe against a bucket.
 */
export class ThanosCompactor extends ThanosComponent {
  readonly tiers: RetentionTiers;

  constructor(scope: Construct, id: string, props: ThanosCompactorProps) {
    super(scope, id, {
      ...props,
      name: 'thanos-compactor',
      command: 'compact',
      kind: 'StatefulSet',
      replicas: 1,
      grpc: false,
      volumeSize: Size.of(props.volumeSize ?? '100GB', 'volumeSize'),
      resources: props.resources ?? { cpu: '1', memory: '2Gi', memoryLimit: '4Gi' },
      args: () => ['--wait', `--data-dir=${ThanosComponent.dataDir}`, ...props.tiers.compactorArgs()],
      egressTo: [FLOWS.httpsEgress()],
    });
    this.tiers = props.tiers;
  }
}
