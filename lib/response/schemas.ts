import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { WorkflowTemplate } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/WorkflowTemplate';
import { registerSchema, SchemaValidator } from '../core/schema.js';

/** API version shared by Argo Workflows and Argo Events custom resources. */
export const ARGO_API_VERSION = 'argoproj.io/v1alpha1';
export const KEDA_API_VERSION = 'keda.sh/v1alpha1';

registerSchema(KEDA_API_VERSION, 'ScaledObject', ScaledObject);
registerSchema(ARGO_API_VERSION, 'WorkflowTemplate', WorkflowTemplate);

type Json = Record<string, any>;

function at(obj: Json, path: string): unknown {
  return path.split('.').reduce<any>((o, k) => (o === undefined || o === null ? undefined : o[k]), obj);
}

/** Throws `<path> is required` / `must be <type>` like the generated kubernetes-models validators. */
function check(manifest: Json, rules: Array<[string, 'string' | 'object' | 'array' | 'nonEmptyArray']>): void {
  for (const [path, type] of rules) {
    const v = at(manifest, path);
    const ok = type === 'string' ? typeof v === 'string' && v !== ''
      : type === 'object' ? typeof v === 'object' && v !== null && !Array.isArray(v)
        : Array.isArray(v) && (type === 'array' || v.length > 0);
    if (!ok) throw new Error(`${path} must be ${type === 'nonEmptyArray' ? 'a non-empty array' : `a ${type}`}`);
  }
}

/*
 * Argo Events publishes no kubernetes-models package (nor a JSON schema in the ones installed),
 * so its kinds get hand-written validators: they check the fields the Argo Events controllers
 * require (sensor_types.go, eventsource_types.go, eventbus_types.go, webhook_context.go) and the
 * shapes this library relies on. Keep them in step with the Argo Events version in docs/response.md.
 */
const eventSource: SchemaValidator = (manifest) => {
  const m = manifest as Json;
  check(m, [['metadata.name', 'string'], ['spec', 'object']]);
  for (const [name, hook] of Object.entries((m.spec.webhook ?? {}) as Record<string, Json>)) {
    for (const field of ['endpoint', 'method', 'port']) {
      if (typeof hook[field] !== 'string' || hook[field] === '') throw new Error(`spec.webhook.${name}.${field} must be a string`);
    }
    if (!hook.endpoint.startsWith('/')) throw new Error(`spec.webhook.${name}.endpoint must start with "/"`);
  }
};

const sensor: SchemaValidator = (manifest) => {
  const m = manifest as Json;
  check(m, [['metadata.name', 'string'], ['spec.dependencies', 'nonEmptyArray'], ['spec.triggers', 'nonEmptyArray']]);
  (m.spec.dependencies as Json[]).forEach((d, i) => {
    check(d, [['name', 'string'], ['eventSourceName', 'string'], ['eventName', 'string']]);
    ((d.filters?.data ?? []) as Json[]).forEach((f, j) => {
      if (typeof f.path !== 'string' || !['string', 'number', 'bool'].includes(f.type) || !Array.isArray(f.value) || f.value.length === 0) {
        throw new Error(`spec.dependencies[${i}].filters.data[${j}] must have a path, a type (string, number, bool) and values`);
      }
    });
  });
  (m.spec.triggers as Json[]).forEach((t, i) => {
    check(t, [['template.name', 'string']]);
    if (t.rateLimit && !['Second', 'Minute', 'Hour'].includes(t.rateLimit.unit)) {
      throw new Error(`spec.triggers[${i}].rateLimit.unit must be Second, Minute or Hour`);
    }
  });
};

const eventBus: SchemaValidator = (manifest) => {
  const m = manifest as Json;
  check(m, [['metadata.name', 'string'], ['spec', 'object']]);
  const kinds = ['nats', 'jetstream', 'kafka', 'jetstreamExotic'].filter((k) => m.spec[k] !== undefined);
  if (kinds.length !== 1) throw new Error('spec must set exactly one of nats, jetstream, kafka or jetstreamExotic');
  if (m.spec.jetstream) check(m, [['spec.jetstream.version', 'string']]);
};

registerSchema(ARGO_API_VERSION, 'EventSource', eventSource);
registerSchema(ARGO_API_VERSION, 'Sensor', sensor);
registerSchema(ARGO_API_VERSION, 'EventBus', eventBus);
