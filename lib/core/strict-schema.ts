/**
 * Unknown-field rejection on top of the kubernetes-models validators, as `kubectl apply` does by
 * default (server-side field validation `Strict`).
 *
 * kubernetes-models ships its upstream OpenAPI schemas only as ajv-compiled validators, without
 * `additionalProperties: false`, so `spec.retentionn` passes `.validate()`. The compiled code
 * still knows every declared property: it reads `data.<prop>` for each one it declares, and it
 * enumerates the keys of an object only when the schema is a map (`additionalProperties` or
 * `patternProperties`, such as labels). We run the upstream validator on a read-tracking view of
 * the manifest and report, for every object the validator looked into, the keys it never read:
 * - an object whose keys the validator enumerated is a map: every key is allowed (and its values
 *   were validated by the map's value schema);
 * - an object of which the validator read nothing has an open schema (`x-kubernetes-preserve-
 *   unknown-fields`, embedded `RawExtension`, free-form JSON): every key is allowed;
 * - int-or-string and other scalars are not objects and are left to the validator's type checks.
 * This derives strictness from the very schemas the library depends on, with no second copy.
 */

interface Node {
  readonly target: object;
  /** Where the object sits: its parent and its key there, so the path is built only for a report. */
  readonly parent: Node | undefined;
  readonly key: string;
  readonly read: Set<string>;
  enumerated: boolean;
}

function childPath(parent: string, key: string, inArray: boolean): string {
  if (inArray) return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

function pathOf(node: Node): string {
  return node.parent ? childPath(pathOf(node.parent), node.key, Array.isArray(node.parent.target)) : node.key;
}

/**
 * A view of `root` that records, per object, which keys were read and whether keys were listed.
 * The traps run for every property the validator reads, so they do no more than record the key:
 * scalars are returned as they are and paths are built only when an unknown field is reported.
 */
export function trackReads(root: object, basePath = ''): { view: any; nodes: Node[] } {
  const nodes: Node[] = [];
  const views = new WeakMap<object, unknown>();
  const wrap = (value: object, parent: Node | undefined, key: string): unknown => {
    const cached = views.get(value);
    if (cached) return cached;
    const node: Node = { target: value, parent, key, read: new Set(), enumerated: false };
    nodes.push(node);
    const view = new Proxy(value, {
      get(t, k, r) {
        const v = Reflect.get(t, k, r);
        if (typeof k !== 'string') return v;
        node.read.add(k);
        return v !== null && typeof v === 'object' && Object.prototype.hasOwnProperty.call(t, k) ? wrap(v, node, k) : v;
      },
      has(t, k) {
        if (typeof k === 'string') node.read.add(k);
        return Reflect.has(t, k);
      },
      ownKeys(t) {
        node.enumerated = true;
        return Reflect.ownKeys(t);
      },
    });
    views.set(value, view);
    return view;
  };
  return { view: root !== null && typeof root === 'object' ? wrap(root, undefined, basePath) : root, nodes };
}

/** Paths of keys that the validator run on the tracked view never read (see the module comment). */
export function unknownFields(nodes: readonly Node[]): string[] {
  const unknown: string[] = [];
  for (const n of nodes) {
    if (Array.isArray(n.target) || n.enumerated || n.read.size === 0) continue;
    for (const key of Object.keys(n.target)) {
      if (!n.read.has(key)) unknown.push(childPath(pathOf(n), key, false));
    }
  }
  return unknown;
}

/** Throws `unknown field "<path>"` (kubectl's wording) for the first keys no schema declares. */
export function rejectUnknown(paths: readonly string[]): void {
  if (paths.length === 0) return;
  const shown = paths.slice(0, 5).map((p) => `"${p}"`).join(', ');
  throw new Error(`unknown field${paths.length > 1 ? 's' : ''} ${shown}${paths.length > 5 ? ` and ${paths.length - 5} more` : ''}`);
}

interface ModelLike {
  prototype: { validate(this: unknown): void };
}

/**
 * Validates `manifest` with a kubernetes-models class, unknown fields rejected. The model's
 * `validate` runs the upstream ajv validator on `this`; we call it on the tracked view instead of
 * a model instance (whose constructor copies the data and would hide the reads).
 */
export function validateStrict(model: ModelLike, manifest: object, basePath = ''): void {
  const { view, nodes } = trackReads(manifest, basePath);
  model.prototype.validate.call(view);
  rejectUnknown(unknownFields(nodes));
}

/**
 * A structural schema written as data, for kinds with no kubernetes-models package (Argo Events).
 * Hand-written because the upstream publishes no JSON schema in a package we depend on; it is
 * the subset of OpenAPI that Kubernetes structural schemas use, and embedded Kubernetes types
 * (`k8s`) are delegated to the kubernetes-models classes, unknown fields rejected there too.
 */
export type FieldSchema =
  | { readonly type: 'string'; readonly enum?: readonly string[]; readonly pattern?: RegExp; readonly patternText?: string }
  | { readonly type: 'integer' | 'number' | 'boolean' }
  | { readonly type: 'object'; readonly properties: Readonly<Record<string, FieldSchema>>; readonly required?: readonly string[] }
  | { readonly type: 'map'; readonly values: FieldSchema }
  | { readonly type: 'array'; readonly items: FieldSchema; readonly minItems?: number }
  | { readonly type: 'open' }
  /** `filled`: fields the controller sets itself, so the embedded type's `required` does not apply to them. */
  | { readonly type: 'k8s'; readonly model: ModelLike; readonly filled?: Readonly<Record<string, unknown>> };

function kindOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** Validates `value` against `schema`; throws `<path> must ...` or `unknown field "<path>"`. */
export function validateFields(schema: FieldSchema, value: unknown, path: string): void {
  const fail = (expected: string): never => {
    throw new Error(`${path || 'data'} must be ${expected}, got ${kindOf(value) === 'string' ? JSON.stringify(value) : kindOf(value)}`);
  };
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') fail('a string');
      if (schema.enum && !schema.enum.includes(value as string)) fail(`one of ${schema.enum.join(', ')}`);
      if (schema.pattern && !schema.pattern.test(value as string)) fail(schema.patternText ?? `a string matching ${schema.pattern}`);
      return;
    case 'integer':
      if (!Number.isSafeInteger(value)) fail('an integer');
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) fail('a number');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail('a boolean');
      return;
    case 'open':
      if (kindOf(value) !== 'object') fail('an object');
      return;
    case 'k8s':
      if (kindOf(value) !== 'object') fail('an object');
      try {
        validateStrict(schema.model, { ...schema.filled, ...(value as object) }, path);
      } catch (e) {
        throw new Error((e as Error).message.replace(/\bdata(?=[/ ])/g, path || 'data'));
      }
      return;
    case 'array':
      if (!Array.isArray(value)) fail('an array');
      if ((value as unknown[]).length < (schema.minItems ?? 0)) fail(`an array of at least ${schema.minItems} item(s)`);
      (value as unknown[]).forEach((v, i) => validateFields(schema.items, v, `${path}[${i}]`));
      return;
    case 'map':
      if (kindOf(value) !== 'object') fail('an object');
      for (const [k, v] of Object.entries(value as object)) validateFields(schema.values, v, childPath(path, k, false));
      return;
    case 'object': {
      if (kindOf(value) !== 'object') fail('an object');
      const obj = value as Record<string, unknown>;
      for (const r of schema.required ?? []) {
        if (obj[r] === undefined) throw new Error(`${childPath(path, r, false)} is required`);
      }
      rejectUnknown(Object.keys(obj).filter((k) => !(k in schema.properties)).map((k) => childPath(path, k, false)));
      for (const [k, v] of Object.entries(obj)) {
        if (v !== undefined) validateFields(schema.properties[k], v, childPath(path, k, false));
      }
    }
  }
}
