import type { IPolicyRule } from 'kubernetes-models/rbac.authorization.k8s.io/v1/PolicyRule';
import { Construct } from 'constructs';
import { invalid } from './errors.js';
import { K8sObject } from './k8s-object.js';

export interface RbacGrantProps {
  /** Name of the (Cluster)Role and its binding. */
  readonly name: string;
  /** Service account that receives the rules. */
  readonly serviceAccount: string;
  readonly serviceAccountNamespace: string;
  /** Rules; wildcards are rejected so every grant is explicit. */
  readonly rules: IPolicyRule[];
  /** A namespaced Role in this namespace instead of a ClusterRole. @default - cluster-wide */
  readonly namespace?: string;
}

/**
 * Least-privilege RBAC: a ClusterRole (or Role) and its binding to one service account.
 * Rejects `*` in verbs, resources and API groups, and never binds cluster-admin.
 */
export class RbacGrant extends Construct {
  constructor(scope: Construct, id: string, props: RbacGrantProps) {
    super(scope, id);
    props.rules.forEach((rule, i) => {
      for (const field of ['verbs', 'resources', 'apiGroups', 'nonResourceURLs'] as const) {
        const values = (rule[field] ?? []) as string[];
        if (values.some((v) => v.includes('*'))) {
          throw invalid(`rules[${i}].${field}`, values, 'an explicit list without wildcards');
        }
      }
    });
    const roleKind = props.namespace ? 'Role' : 'ClusterRole';
    const meta = { name: props.name, ...(props.namespace ? { namespace: props.namespace } : {}) };
    new K8sObject(this, 'Role', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: roleKind,
      metadata: meta,
      rules: props.rules,
    });
    new K8sObject(this, 'Binding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: `${roleKind}Binding`,
      metadata: meta,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: props.name },
      subjects: [{ kind: 'ServiceAccount', name: props.serviceAccount, namespace: props.serviceAccountNamespace }],
    });
  }
}
