/** A key of a Kubernetes Secret (in the namespace of the object that reads it). */
export interface SecretKeyRef {
  /** Secret name. */
  readonly name: string;
  /** Key in the Secret. */
  readonly key: string;
}
