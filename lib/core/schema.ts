import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Alertmanager } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Alertmanager';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { Probe } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Probe';
import { Prometheus } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Prometheus';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { ThanosRuler } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ThanosRuler';
import { ScrapeConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/ScrapeConfig';
import { AlertmanagerConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig';
import { ValidationError } from './errors.js';
import { validateStrict } from './strict-schema.js';

/** Validates a manifest against its upstream schema and throws with the failing path. */
export type SchemaValidator = (manifest: Record<string, unknown>) => void;

interface ModelClass {
  new (data: any): { validate(): void };
}

const validators = new Map<string, SchemaValidator>();

function fromModel(model: ModelClass): SchemaValidator {
  return (manifest) => validateStrict(model, manifest);
}

/**
 * kubernetes-models generates prometheus-operator's embedded PVC template as an object with a
 * required pseudo apiVersion/kind (`monitoring.coreos.com/v1` / `EmbeddedPersistentVolumeClaim`)
 * that the real CRD neither requires nor accepts as such. We validate a copy that carries them,
 * so the rest of the template is still checked, and emit the manifest without them.
 */
function withEmbeddedPvcQuirk(model: ModelClass): SchemaValidator {
  return (manifest) => {
    const copy = structuredClone(manifest) as any;
    const template = copy.spec?.storage?.volumeClaimTemplate;
    if (template) {
      template.apiVersion = 'monitoring.coreos.com/v1';
      template.kind = 'EmbeddedPersistentVolumeClaim';
    }
    validateStrict(model, copy);
  };
}

/**
 * Registers the schema of an apiVersion/kind. The library registers every kind it emits; a
 * construct that emits a new kind (for example a KEDA or Argo custom resource) registers its
 * `kubernetes-models` class here, next to where it is used.
 */
export function registerSchema(apiVersion: string, kind: string, validator: SchemaValidator | ModelClass): void {
  const fn = validator.prototype && typeof validator.prototype.validate === 'function'
    ? fromModel(validator as ModelClass)
    : (validator as SchemaValidator);
  validators.set(`${apiVersion}/${kind}`, fn);
}

for (const [apiVersion, kind, model] of [
  ['v1', 'ConfigMap', ConfigMap],
  ['v1', 'Namespace', Namespace],
  ['v1', 'PersistentVolumeClaim', PersistentVolumeClaim],
  ['v1', 'Secret', Secret],
  ['v1', 'Service', Service],
  ['v1', 'ServiceAccount', ServiceAccount],
  ['apps/v1', 'DaemonSet', DaemonSet],
  ['apps/v1', 'Deployment', Deployment],
  ['apps/v1', 'StatefulSet', StatefulSet],
  ['batch/v1', 'CronJob', CronJob],
  ['batch/v1', 'Job', Job],
  ['policy/v1', 'PodDisruptionBudget', PodDisruptionBudget],
  ['networking.k8s.io/v1', 'NetworkPolicy', NetworkPolicy],
  ['networking.k8s.io/v1', 'Ingress', Ingress],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole', ClusterRole],
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', ClusterRoleBinding],
  ['rbac.authorization.k8s.io/v1', 'Role', Role],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding', RoleBinding],
  ['autoscaling/v2', 'HorizontalPodAutoscaler', HorizontalPodAutoscaler],
  ['monitoring.coreos.com/v1', 'Alertmanager', Alertmanager],
  ['monitoring.coreos.com/v1', 'PodMonitor', PodMonitor],
  ['monitoring.coreos.com/v1', 'Probe', Probe],
  ['monitoring.coreos.com/v1', 'Prometheus', Prometheus],
  ['monitoring.coreos.com/v1', 'PrometheusRule', PrometheusRule],
  ['monitoring.coreos.com/v1', 'ServiceMonitor', ServiceMonitor],
  ['monitoring.coreos.com/v1', 'ThanosRuler', ThanosRuler],
  ['monitoring.coreos.com/v1alpha1', 'ScrapeConfig', ScrapeConfig],
  ['monitoring.coreos.com/v1alpha1', 'AlertmanagerConfig', AlertmanagerConfig],
] as Array<[string, string, ModelClass]>) {
  const storageKinds = ['Prometheus', 'Alertmanager', 'ThanosRuler'];
  registerSchema(apiVersion, kind, storageKinds.includes(kind) ? withEmbeddedPvcQuirk(model) : model);
}

/** True when a schema is registered for this apiVersion/kind. */
export function hasSchema(apiVersion: string, kind: string): boolean {
  return validators.has(`${apiVersion}/${kind}`);
}

/**
 * Validates one synthesized manifest against its upstream schema. Unknown kinds are an error:
 * every object this library writes must be checked before it reaches a cluster.
 */
export function validateManifest(manifest: Record<string, any>, where = ''): void {
  const key = `${manifest.apiVersion}/${manifest.kind}`;
  const id = `${manifest.kind}/${manifest.metadata?.name ?? '?'}${where ? ` (${where})` : ''}`;
  const validator = validators.get(key);
  if (!validator) {
    throw new ValidationError(`${id}: no schema registered for ${key}; register its kubernetes-models class with registerSchema()`);
  }
  try {
    validator(manifest);
  } catch (e) {
    throw new ValidationError(`${id} does not match the ${key} schema: ${(e as Error).message}`);
  }
}
