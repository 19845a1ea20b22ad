import { Construct } from 'constructs';
import { FLOWS, NetworkFlow } from '../core/network.js';
import { Size } from '../core/units.js';
import { ResourceSpec } from '../core/workload.js';
import { ObjectStorageRef } from './object-storage.js';
import { ThanosCommonProps, ThanosComponent } from './thanos-component.js';

export interface ThanosStoreProps extends ThanosCommonProps {
  readonly objectStorage: ObjectStorageRef;
  /** @default 'thanos-store' */
  readonly name?: string;
  /** Identical replicas; Query merges their identical answers. @default 2 */
  readonly replicas?: number;
  /** Index-header cache per replica. @default '20GB' */
  readonly volumeSize?: Size | string;
  readonly storageClassName?: string;
  /** @default { cpu: '500m', memory: '2Gi', memoryLimit: '4Gi' } */
  readonly resources?: ResourceSpec;
  /** Clients of the StoreAPI (Thanos Query). */
  readonly clients: NetworkFlow[];
}

/** Thanos Store Gateway: serves the blocks in object storage over the StoreAPI. */
export class ThanosStore extends ThanosComponent {
  constructor(scope: Construct, id: string, props: ThanosStoreProps) {
    super(scope, id, {
      ...props,
      name: props.name ?? 'thanos-store',
      command: 'store',
      kind: 'StatefulSet',
      replicas: props.replicas ?? 2,
      headless: true,
      volumeSize: Size.of(props.volumeSize ?? '20GB', 'volumeSize'),
      resources: props.resources ?? { cpu: '500m', memory: '2Gi', memoryLimit: '4Gi' },
      args: () => [`--data-dir=${ThanosComponent.dataDir}`],
      ingressFrom: props.clients,
      egressTo: [FLOWS.httpsEgress()],
    });
  }
}
