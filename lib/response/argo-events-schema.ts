import { ObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';
import { Affinity } from 'kubernetes-models/v1/Affinity';
import { Container } from 'kubernetes-models/v1/Container';
import { LocalObjectReference } from 'kubernetes-models/v1/LocalObjectReference';
import { PodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';
import { ResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import { SecurityContext } from 'kubernetes-models/v1/SecurityContext';
import { ServicePort } from 'kubernetes-models/v1/ServicePort';
import { Toleration } from 'kubernetes-models/v1/Toleration';
import { Volume } from 'kubernetes-models/v1/Volume';
import { FieldSchema } from '../core/strict-schema.js';

/*
 * Argo Events v1.9 custom resources, field by field, as data. Argo Events publishes no
 * kubernetes-models package, so these mirror the Go API types of the v1.9 release
 * (github.com/argoproj/argo-events, release-1.9):
 *   pkg/apis/eventbus/v1alpha1/{types.go,jetstream_eventbus.go}   EventBusSpec, JetStreamBus, ContainerTemplate
 *   pkg/apis/eventsource/v1alpha1/{types.go,webhook_context.go}   EventSourceSpec, Template, Service, WebhookEventSource
 *   pkg/apis/sensor/v1alpha1/types.go                             SensorSpec, EventDependency, DataFilter, Trigger...
 *   pkg/apis/common/common.go                                     Metadata
 * Only the parts of the API this library emits are modelled (the webhook event source, the JetStream
 * bus, the Argo Workflow trigger); any other field is rejected as unknown, so a new use must add
 * its fields here first, checked against those files. Fields typed with Kubernetes core types
 * (corev1.Container, PodSecurityContext, Affinity...) are checked by their kubernetes-models classes.
 */

const str: FieldSchema = { type: 'string' };
const nonEmpty: FieldSchema = { type: 'string', pattern: /./, patternText: 'a non-empty string' };
const int: FieldSchema = { type: 'integer' };
const bool: FieldSchema = { type: 'boolean' };
const strMap: FieldSchema = { type: 'map', values: str };
const k8s = (model: { prototype: { validate(): void } }, filled?: Record<string, unknown>): FieldSchema => ({ type: 'k8s', model, filled });
const obj = (properties: Record<string, FieldSchema>, required: string[] = []): FieldSchema => ({ type: 'object', properties, required });
const list = (items: FieldSchema, minItems = 0): FieldSchema => ({ type: 'array', items, minItems });

/** common.Metadata: annotations and labels of the pods the controller creates. */
const podMetadata = obj({ annotations: strMap, labels: strMap });

/** eventsource/sensor Template: the pod template of the EventSource and Sensor deployments. */
const podTemplate = obj({
  metadata: podMetadata,
  serviceAccountName: str,
  // The controller names the container (`main`) and sets its image; the template may omit both.
  container: k8s(Container, { name: 'main' }),
  volumes: list(k8s(Volume)),
  securityContext: k8s(PodSecurityContext),
  nodeSelector: strMap,
  tolerations: list(k8s(Toleration)),
  imagePullSecrets: list(k8s(LocalObjectReference)),
  priorityClassName: str,
  priority: int,
  affinity: k8s(Affinity),
});

/** eventbus ContainerTemplate. */
const containerTemplate = obj({ imagePullPolicy: str, resources: k8s(ResourceRequirements), securityContext: k8s(SecurityContext) });

/** eventbus JetStreamBus (jetstream_eventbus.go); `version` is required by the controller's validation. */
const jetStreamBus = obj({
  version: nonEmpty,
  replicas: int,
  containerTemplate,
  reloaderContainerTemplate: containerTemplate,
  metricsContainerTemplate: containerTemplate,
  metadata: podMetadata,
  nodeSelector: strMap,
  tolerations: list(k8s(Toleration)),
  securityContext: k8s(PodSecurityContext),
  imagePullSecrets: list(k8s(LocalObjectReference)),
  priorityClassName: str,
  priority: int,
  affinity: k8s(Affinity),
  serviceAccountName: str,
  settings: str,
  startArgs: list(str),
  streamConfig: str,
  maxPayload: str,
}, ['version']);

/** webhook_context.go WebhookContext (+ the event source's filter); endpoint must start with "/". */
const webhook = obj({
  endpoint: { type: 'string', pattern: /^\//, patternText: 'a path starting with "/"' },
  method: nonEmpty,
  port: nonEmpty,
  url: str,
  metadata: strMap,
  maxPayloadSize: int,
  filter: obj({ expression: str }),
}, ['endpoint', 'method', 'port']);

const dataFilter = obj({
  path: nonEmpty,
  type: { type: 'string', enum: ['string', 'number', 'bool'] },
  value: list(str, 1),
  comparator: { type: 'string', enum: ['>=', '>', '=', '!=', '<', '<='] },
  template: str,
}, ['path', 'type', 'value']);

const triggerParameter = obj({
  src: obj({ dependencyName: nonEmpty, contextKey: str, contextTemplate: str, dataKey: str, dataTemplate: str, value: str }, ['dependencyName']),
  dest: nonEmpty,
  operation: { type: 'string', enum: ['append', 'overwrite', 'prepend'] },
}, ['dest']);

const argoWorkflowTrigger = obj({
  source: obj({ resource: { type: 'open' }, inline: str }),
  operation: { type: 'string', enum: ['submit', 'submit-from', 'suspend', 'resubmit', 'retry', 'resume', 'terminate', 'stop'] },
  parameters: list(triggerParameter),
  args: list(str),
});

const logicalOperator: FieldSchema = { type: 'string', enum: ['and', 'or'] };

/** A Kubernetes object of one of the three kinds, with its spec schema. */
function resource(spec: FieldSchema): FieldSchema {
  return obj({ apiVersion: str, kind: str, metadata: k8s(ObjectMeta), spec }, ['apiVersion', 'kind', 'metadata', 'spec']);
}

export const EVENT_BUS_SCHEMA = resource(obj({ jetstream: jetStreamBus }, ['jetstream']));

export const EVENT_SOURCE_SCHEMA = resource(obj({
  eventBusName: str,
  template: podTemplate,
  service: obj({ ports: list(k8s(ServicePort)), clusterIP: str }),
  replicas: int,
  webhook: { type: 'map', values: webhook },
}));

export const SENSOR_SCHEMA = resource(obj({
  dependencies: list(obj({
    name: nonEmpty,
    eventSourceName: nonEmpty,
    eventName: nonEmpty,
    filters: obj({ data: list(dataFilter), dataLogicalOperator: logicalOperator, exprLogicalOperator: logicalOperator, script: str }),
    filtersLogicalOperator: logicalOperator,
  }, ['name', 'eventSourceName', 'eventName']), 1),
  triggers: list(obj({
    template: obj({ name: nonEmpty, conditions: str, argoWorkflow: argoWorkflowTrigger }, ['name']),
    parameters: list(triggerParameter),
    rateLimit: obj({ unit: { type: 'string', enum: ['Second', 'Minute', 'Hour'] }, requestsPerUnit: int }),
  }, ['template']), 1),
  template: podTemplate,
  errorOnFailedRound: bool,
  eventBusName: str,
  replicas: int,
}, ['dependencies', 'triggers']));
