import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { renderPlainApiObject } from './plain-render.js';
import { validateManifest } from './schema.js';
import { standardLabels } from './labels.js';
import { selectionLabels } from './selection.js';

/** Props of {@link K8sObject}: a manifest without apiVersion/kind duplication of cdk8s. */
export interface K8sObjectProps {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ApiObjectMetadata;
  readonly [key: string]: unknown;
}

/**
 * The only way this library emits a Kubernetes object: an ApiObject that carries the
 * library's standard labels and validates its rendered manifest against the upstream schema
 * every time it is synthesized (cdk8s `App.synth()` and `Testing.synth()` both call
 * `toJson()`), so a user of any construct gets schema validation without calling anything.
 */
/**
 * Copies objects without a prototype (`Object.create(null)`, which JavaScript callers and some
 * parsers produce) into plain objects: cdk8s cannot resolve them. Class instances (cdk8s Lazy
 * values) are kept as they are.
 */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value === null || typeof value !== 'object') return value;
  const proto = Object.getPrototypeOf(value);
  if (proto !== null && proto !== Object.prototype) return value;
  // A loop, not Object.fromEntries(Object.entries()): every manifest passes through here, and the
  // intermediate arrays were a measurable share of synthesis at 10,000 services.
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    const v = plain((value as Record<string, unknown>)[k]);
    if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return out;
}

export class K8sObject extends ApiObject {
  constructor(scope: Construct, id: string, props: K8sObjectProps) {
    props = plain(props) as K8sObjectProps;
    super(scope, id, {
      ...props,
      metadata: { ...props.metadata, labels: { ...standardLabels(), ...(props.metadata.labels ?? {}) } },
    });
  }

  override toJson(): any {
    // cdk8s's render, in one pass where that gives the same manifest (plain-render.ts).
    const json = renderPlainApiObject(this) ?? super.toJson();
    const selected = selectionLabels(this, json.kind);
    if (Object.keys(selected).length > 0) json.metadata.labels = { ...(json.metadata.labels ?? {}), ...selected };
    validateManifest(json, this.node.path);
    return json;
  }
}
