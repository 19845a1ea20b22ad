import * as pulumi from '@pulumi/pulumi';

export interface Recorded {
  readonly type: string;
  readonly name: string;
  readonly inputs: any;
  readonly provider?: string;
}

/** Installs Pulumi mocks that record every resource; returns the record. */
export function recordResources(): Recorded[] {
  const recorded: Recorded[] = [];
  pulumi.runtime.setMocks({
    newResource: (args) => {
      recorded.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider });
      const arn = args.type === 'aws:s3/bucket:Bucket'
        ? `arn:aws:s3:::${args.inputs.bucket}`
        : args.type === 'aws:kms/key:Key'
          ? `arn:aws:kms:region:123456789012:key/${args.name}`
          : `arn:aws:iam::123456789012:role/${args.name}`;
      return { id: `${args.name}-id`, state: { ...args.inputs, arn } };
    },
    call: (args) => args.inputs,
  }, 'ai-monitoring', 'test', false);
  return recorded;
}

/** Resolves when every resource has been registered with the mocks. */
export function settle(...resources: pulumi.Resource[]): Promise<unknown> {
  return Promise.all(resources.map((r) => new Promise((resolve) => r.urn.apply(resolve))));
}

export function value<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply(resolve));
}

/** The region of the AWS provider a recorded resource was created with. */
export function providerRegion(recorded: Recorded[], r: Recorded): string | undefined {
  const name = r.provider?.split('::')[3];
  return recorded.find((p) => p.type === 'pulumi:providers:aws' && p.name === name)?.inputs.region;
}
