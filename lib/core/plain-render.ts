import { ApiObject, App, ImplicitTokenResolver, JsonPatch, Lazy, LazyResolver, NumberStringUnionResolver } from 'cdk8s';

/**
 * cdk8s's `ApiObject.toJson()` for an object whose props are plain JSON data, in one pass.
 *
 * cdk8s renders every value of a manifest through `resolve()` (a `ResolutionContext` per value,
 * the key path copied per value, `App.of()` walking up the construct tree per value, every
 * resolver asked) and then copies it again with `sanitizeValue()` (keys sorted, null and
 * undefined values dropped). With the App's resolvers being exactly cdk8s's three built-in
 * ones and the data being plain (objects with `Object.prototype`, arrays, strings, numbers,
 * booleans, null, undefined), every resolver declines every value but a `Lazy`, so the render
 * is that copy alone, with a cdk8s `Lazy` replaced by what it produces (as `LazyResolver`
 * does); this function makes it directly. It returns undefined (and the caller renders with
 * cdk8s) whenever that is not certain: a custom resolver, any other class instance (a union
 * type), a function, or a `__proto__` or `constructor` key anywhere. (A `Lazy` met before such a
 * value is then produced twice; the library's producers only read the construct's state.)
 * test/core/plain-render.test.ts holds it to cdk8s's own render, byte for byte.
 *
 * Hand-written because cdk8s has no switch for it, and its render was about 40 ms of a cold
 * `cdk8s synth` of the seed platform in the profile (README, "Performance", lever 9).
 */
export function renderPlainApiObject(obj: ApiObject): Record<string, unknown> | undefined {
  const internals = obj as unknown as { readonly props: Record<string, unknown>; readonly patches: readonly JsonPatch[] };
  // The fields read here are cdk8s's private ones, and the rules copied are those of cdk8s 2.70
  // (the release the test holds this to): any other release, or renamed fields, and cdk8s renders.
  if (!CDK8S_2_70 || !isRecord(internals.props) || !Array.isArray(internals.patches) || !hasBuiltInResolversOnly(obj)) return undefined;
  const sortKeys = process.env.CDK8S_DISABLE_SORT ? false : true;
  let json: unknown;
  try {
    // The metadata is rendered on its own (with its own rules), as cdk8s does, and not copied again.
    const { metadata: _ignored, ...props } = internals.props;
    const body = copy(props, sortKeys, false) as Record<string, unknown>;
    const metadata = renderMetadata(obj);
    if (metadata !== undefined) body.metadata = metadata;
    json = body;
    // The object's JSON patches (`addJsonPatch`), applied as cdk8s applies them.
    json = JsonPatch.apply(json, ...internals.patches);
  } catch {
    // NOT_PLAIN, or an error cdk8s reports in its own words (with the construct's path)
    return undefined;
  }
  // cdk8s's key order: apiVersion, kind and metadata first, then the rest (sorted or not).
  const rest = json as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const k of ['apiVersion', 'kind', 'metadata', ...Object.keys(rest)]) {
    if (k in rest) result[k] = rest[k];
  }
  return result;
}

const NOT_PLAIN = Symbol('not plain JSON data');

/** cdk8s's release, from the type information jsii puts on its classes. */
const CDK8S_2_70 = /^2\.70\./.test(String((ApiObject as unknown as Record<symbol, { version?: string } | undefined>)[Symbol.for('jsii.rtti')]?.version));

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const builtInResolvers = new WeakMap<object, boolean>();

/** Whether the App's resolvers are cdk8s's built-in three and nothing else (cached per App). */
function hasBuiltInResolversOnly(obj: ApiObject): boolean {
  const app = App.of(obj) as App;
  let known = builtInResolvers.get(app);
  if (known === undefined) {
    const r = (app as { resolvers?: unknown }).resolvers;
    known = Array.isArray(r) && r.length === 3 && r[0] instanceof LazyResolver
      && r[1] instanceof ImplicitTokenResolver && r[2] instanceof NumberStringUnionResolver;
    builtInResolvers.set(app, known);
  }
  return known;
}

/**
 * `ApiObjectMetadataDefinition.toJson()`: its fields resolved and sanitized with empty arrays
 * and objects dropped, keys always sorted (cdk8s does not pass CDK8S_DISABLE_SORT there).
 */
function renderMetadata(obj: ApiObject): unknown {
  const md = obj.metadata as unknown as {
    readonly _additionalAttributes: Record<string, unknown>; readonly name?: string; readonly namespace?: string;
    readonly annotations: unknown; readonly finalizers: unknown; readonly ownerReferences: unknown; readonly labels: unknown;
  };
  if (!isRecord(md._additionalAttributes) || !isRecord(md.labels) || !isRecord(md.annotations)
    || !Array.isArray(md.finalizers) || !Array.isArray(md.ownerReferences)) throw NOT_PLAIN;
  return copy({
    ...md._additionalAttributes, name: md.name, namespace: md.namespace, annotations: md.annotations,
    finalizers: md.finalizers, ownerReferences: md.ownerReferences, labels: md.labels,
  }, true, true);
}

/**
 * `sanitizeValue(resolve(value), { sortKeys, filterEmptyArrays: dropEmpty, filterEmptyObjects:
 * dropEmpty })` for plain data; throws NOT_PLAIN for anything else.
 */
function copy(value: unknown, sortKeys: boolean, dropEmpty: boolean): unknown {
  if (value === null || value === undefined) return undefined;
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return value;
  if (type !== 'object') throw NOT_PLAIN;
  // What LazyResolver, the first of the three, does: render what the Lazy produces.
  if (value instanceof Lazy) return copy(value.produce(), sortKeys, dropEmpty);
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) throw NOT_PLAIN;
    if (dropEmpty && value.length === 0) return undefined;
    // map(), as cdk8s: a hole stays a hole.
    return value.map((x) => copy(x, sortKeys, dropEmpty));
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) throw NOT_PLAIN;
  const source = value as Record<string, unknown>;
  const keys = Object.keys(source);
  if (sortKeys) keys.sort();
  const out: Record<string, unknown> = {};
  let empty = true;
  for (const k of keys) {
    // resolve() assigns keys with `=`, which for `__proto__` sets the prototype, and tells a
    // dictionary by its `constructor`, which a key of that name replaces: let cdk8s do those.
    if (k === '__proto__' || k === 'constructor') throw NOT_PLAIN;
    const v = copy(source[k], sortKeys, dropEmpty);
    if (v !== undefined) {
      out[k] = v;
      empty = false;
    }
  }
  return dropEmpty && empty ? undefined : out;
}
