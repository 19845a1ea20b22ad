import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
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
export class K8sObject extends ApiObject {
  constructor(scope: Construct, id: string, props: K8sObjectProps) {
    super(scope, id, {
      ...props,
      metadata: { ...props.metadata, labels: { ...standardLabels(), ...(props.metadata.labels ?? {}) } },
    });
  }

  override toJson(): any {
    const json = super.toJson();
    const selected = selectionLabels(this, json.kind);
    if (Object.keys(selected).length > 0) json.metadata.labels = { ...(json.metadata.labels ?? {}), ...selected };
    validateManifest(json, this.node.path);
    return json;
  }
}
