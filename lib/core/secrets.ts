import { invalid, ValidationError } from './errors.js';
import { requireSafeUrl, urlError } from './url.js';
import { validateDnsSubdomain } from './names.js';

/** A key of a Kubernetes Secret (in the namespace of the object that reads it). */
export interface SecretKeyRef {
  /** Secret name. */
  readonly name: string;
  /** Key in the Secret. */
  readonly key: string;
}

const SECRET_DATA_KEY = /^[-._a-zA-Z0-9]+$/;

/** Throws unless `key` is a valid data key of a Kubernetes Secret. */
export function requireSecretKey(prop: string, key: string): string {
  if (typeof key !== 'string' || !SECRET_DATA_KEY.test(key)) throw invalid(prop, key, 'a Secret data key of letters, digits, "-", "_" or "."');
  return key;
}

/**
 * Throws unless `ref` is a `{ name, key }` reference to a Secret key; `holds` says what the key
 * holds, for the message. Anything else is most likely the credential itself (a string, or an
 * object like `{ value: ... }`): the message shows only its shape, never a value.
 */
export function requireSecretKeyRef(prop: string, ref: SecretKeyRef | undefined, holds: string): SecretKeyRef {
  const r = ref as unknown as Record<string, unknown> | undefined;
  if (!r || typeof r !== 'object' || Array.isArray(r) || typeof r.name !== 'string' || typeof r.key !== 'string') {
    throw new ValidationError(`'${prop}' must be a reference { name, key } to the Secret key that holds ${holds} (never the value itself), got ${shape(ref)}`);
  }
  return { name: validateDnsSubdomain(r.name, `${prop}.name`), key: requireSecretKey(`${prop}.key`, r.key) };
}

/** The shape of a value, for messages about would-be credentials: `<string, redacted>`, `{ value: <redacted> }`. */
export function shape(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return "'<inline string, redacted>'";
  if (typeof value !== 'object' || Array.isArray(value)) return `<${Array.isArray(value) ? 'array' : typeof value}, redacted>`;
  return `{ ${Object.keys(value).map((k) => `${k}: <redacted>`).join(', ')} }`;
}

/**
 * Throws when a URL-like prop that would be written into a manifest carries a credential. A
 * value that parses as a URL gets the full guard (`requireSafeUrl` without a scheme check);
 * anything else (`host:port`, an unparsable URL) is refused on user info, whitespace or a
 * credential parameter. The message never repeats the value.
 */
export function requireUrlWithoutCredential(prop: string, url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = typeof url === 'string' && /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(url) ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed) {
    requireSafeUrl(prop, url, { schemes: [parsed.protocol.slice(0, -1)] });
    return url;
  }
  if (typeof url === 'string' && (/[@\s\u0000-\u001f\u007f]/.test(url) || /[?&#][^=]*(token|key|secret|password|pass|sig|signature|auth|credential)[^=]*=/i.test(url))) {
    throw urlError(prop, url, 'a URL without credentials (they would be written into the manifest in clear)');
  }
  return url;
}
