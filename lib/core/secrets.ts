import { invalid } from './errors.js';
import { validateDnsSubdomain } from './names.js';

/** A key of a Kubernetes Secret (in the namespace of the object that reads it). */
export interface SecretKeyRef {
  /** Secret name. */
  readonly name: string;
  /** Key in the Secret. */
  readonly key: string;
}

const SECRET_DATA_KEY = /^[-._a-zA-Z0-9]+$/;
const URL_USERINFO = /^(?:[a-z][a-z0-9+.-]*:\/\/)?[^/?#]*@/i;
const URL_CREDENTIAL_QUERY = /[?&](token|key|api[-_]?key|secret|password|pass|sig|signature|auth|access[-_]?token)=/i;

/** Throws unless `key` is a valid data key of a Kubernetes Secret. */
export function requireSecretKey(prop: string, key: string): string {
  if (typeof key !== 'string' || !SECRET_DATA_KEY.test(key)) throw invalid(prop, key, 'a Secret data key of letters, digits, "-", "_" or "."');
  return key;
}

/**
 * Throws unless `ref` is a `{ name, key }` reference to a Secret key; `holds` says what the key
 * holds, for the message. A string is most likely the credential itself: it is never repeated.
 */
export function requireSecretKeyRef(prop: string, ref: SecretKeyRef | undefined, holds: string): SecretKeyRef {
  if (!ref || typeof ref !== 'object') {
    throw invalid(prop, typeof ref === 'string' ? '<inline string, redacted>' : ref, `a reference { name, key } to the Secret key that holds ${holds} (never the value itself)`);
  }
  return { name: validateDnsSubdomain(ref.name, `${prop}.name`), key: requireSecretKey(`${prop}.key`, ref.key) };
}

/**
 * Throws when a URL that would be written into a manifest carries a credential (user info or a
 * token-like query parameter). The message never repeats the URL.
 */
export function requireUrlWithoutCredential(prop: string, url: string): string {
  if (URL_USERINFO.test(url) || URL_CREDENTIAL_QUERY.test(url)) {
    throw invalid(prop, '<URL with a credential, redacted>', 'a URL without credentials (they would be written into the manifest in clear)');
  }
  return url;
}
