import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { WorkflowTemplate } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/WorkflowTemplate';
import { registerSchema, SchemaValidator } from '../core/schema.js';
import { FieldSchema, validateFields } from '../core/strict-schema.js';
import { EVENT_BUS_SCHEMA, EVENT_SOURCE_SCHEMA, SENSOR_SCHEMA } from './argo-events-schema.js';

/** API version shared by Argo Workflows and Argo Events custom resources. */
export const ARGO_API_VERSION = 'argoproj.io/v1alpha1';
export const KEDA_API_VERSION = 'keda.sh/v1alpha1';

registerSchema(KEDA_API_VERSION, 'ScaledObject', ScaledObject);
registerSchema(ARGO_API_VERSION, 'WorkflowTemplate', WorkflowTemplate);

const strict = (schema: FieldSchema): SchemaValidator => (manifest) => validateFields(schema, manifest, '');

// Argo Events has no kubernetes-models package: its kinds are checked field by field against the
// v1.9 API types encoded in argo-events-schema.ts (unknown fields rejected, like the others).
registerSchema(ARGO_API_VERSION, 'EventSource', strict(EVENT_SOURCE_SCHEMA));
registerSchema(ARGO_API_VERSION, 'Sensor', strict(SENSOR_SCHEMA));
registerSchema(ARGO_API_VERSION, 'EventBus', strict(EVENT_BUS_SCHEMA));
