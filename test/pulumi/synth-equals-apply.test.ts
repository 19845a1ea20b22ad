import * as pulumi from '@pulumi/pulumi';
import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { synthesizeSeedRegion } from '../../examples/seed-platform/region.js';
import { regionContext } from '../../lib/pulumi/region-context.js';
import { Topology } from '../../lib/topology/index.js';
import { tmpDir } from '../support/tools.js';

// Runs examples/pulumi/index.ts as `pulumi preview` on a new stack: dry run, and every output
// the cloud would compute (ARNs, names, ids) is unknown. The platform objects must still be
// plain and equal, object for object, to what the synth code path makes from configuration.
const recorded: { type: string; name: string; inputs: any }[] = [];
pulumi.runtime.setMocks({
  newResource: (args) => {
    recorded.push({ type: args.type, name: args.name, inputs: args.inputs });
    return { id: undefined as unknown as string, state: {} };
  },
  call: (args) => args.inputs,
}, 'ai-monitoring', 'seed', true);
const stack = parse(fs.readFileSync('examples/pulumi/Pulumi.seed.yaml', 'utf8')).config;
const regions = stack['ai-monitoring:regions'];

describe('synth equals apply (seed stack, preview)', () => {
  beforeAll(async () => {
    pulumi.runtime.setAllConfig({
      'ai-monitoring:regions': JSON.stringify(regions),
      'ai-monitoring:bucketPrefix': stack['ai-monitoring:bucketPrefix'],
      'ai-monitoring:kubeconfig-us-east-1': 'apiVersion: v1\nkind: Config',
      'ai-monitoring:kubeconfig-eu-west-1': 'apiVersion: v1\nkind: Config',
    }, ['ai-monitoring:kubeconfig-us-east-1', 'ai-monitoring:kubeconfig-eu-west-1']);
    await import('../../examples/pulumi/index.js');
    const groups = () => recorded.filter((r) => r.type === 'kubernetes:yaml/v2:ConfigGroup' && r.name.endsWith('-platform'));
    for (let i = 0; i < 100 && groups().length < 2; i++) await new Promise((r) => setTimeout(r, 20));
  });

  it.each(['us-east-1', 'eu-west-1'])('applies in %s the objects synth makes from the same configuration', (region) => {
    const group = recorded.find((r) => r.type === 'kubernetes:yaml/v2:ConfigGroup' && r.name === `ai-monitoring-${region}-platform`)!;
    expect(Array.isArray(group.inputs.objs)).toBe(true);
    const r = regions.find((x: any) => x.region === region);
    const ctx = regionContext({ name: `ai-monitoring-${region}`, region, role: r.role, oidcProviderArn: r.oidcProviderArn, bucketPrefix: stack['ai-monitoring:bucketPrefix'] });
    const synth = synthesizeSeedRegion(ctx, new Topology({ regions })).objects;
    expect(group.inputs.objs).toHaveLength(synth.length);
    group.inputs.objs.forEach((o: any, i: number) => expect(o).toEqual(synth[i]));
  });

  it('applies what `npm run synth` (examples/seed-platform/main.ts) writes', () => {
    const out = tmpDir();
    execFileSync(process.execPath, ['--import', 'tsx', 'examples/seed-platform/main.ts'], { env: { ...process.env, CDK8S_OUTDIR: out, NODE_OPTIONS: '' }, stdio: 'pipe' });
    for (const r of regions) {
      const dir = path.join(out, r.region);
      const written = fs.readdirSync(dir).sort().flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS()));
      const applied = recorded.find((x) => x.type === 'kubernetes:yaml/v2:ConfigGroup' && x.name === `ai-monitoring-${r.region}-platform`)!.inputs.objs;
      expect(written).toHaveLength(applied.length);
      written.forEach((o, i) => expect(o).toEqual(applied[i]));
    }
  });

  it('names buckets and roles as the chart refers to them', () => {
    const buckets = recorded.filter((r) => r.type === 'aws:s3/bucket:Bucket').map((b) => b.inputs.bucket).sort();
    expect(buckets).toContain('ai-monitoring-example-metrics-replica-eu-west-1');
    const roles = recorded.filter((r) => r.type === 'aws:iam/role:Role' && r.inputs.name).map((r) => r.inputs.name).sort();
    expect(roles).toEqual(['ai-monitoring-eu-west-1-loki', 'ai-monitoring-eu-west-1-thanos', 'ai-monitoring-us-east-1-loki', 'ai-monitoring-us-east-1-thanos']);
    const objs = recorded.find((r) => r.name === 'ai-monitoring-eu-west-1-platform')!.inputs.objs;
    // Hand-written: the role ARN the account of the OIDC provider and the fixed role name give.
    const sa = objs.find((o: any) => o.kind === 'ServiceAccount' && o.metadata.name === 'thanos-store');
    expect(sa.metadata.annotations['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::123456789012:role/ai-monitoring-eu-west-1-thanos');
    const thanos = recorded.find((r) => r.type === 'aws:iam/role:Role' && r.name === 'ai-monitoring-eu-west-1-thanos')!;
    const subjects = JSON.parse(thanos.inputs.assumeRolePolicy).Statement[0].Condition.StringLike['oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE2:sub'];
    expect(subjects).toContain('system:serviceaccount:ai-monitoring:thanos-store');
  });
});
