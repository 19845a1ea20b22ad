import { ValidationError } from './errors.js';
import { credentialInUrl } from './credentials.js';

/** What a URL prop accepts besides "no credential". */
export interface UrlOptions {
  /** Accepted schemes, without the colon. @default ['http', 'https'] */
  readonly schemes?: readonly string[];
  /** What the message says is expected. @default - 'an http(s) URL like https://example.com' */
  readonly expected?: string;
  /** What the message says is expected when the URL carries a credential. @default - names what was found and asks for a Secret reference */
  readonly credentialExpected?: string;
}

// C0/C1 control characters and every Unicode space: WHATWG parsing strips or percent-encodes
// them silently, so what the manifest says would differ from what the user wrote.
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f-\u009f\s]/u;

/**
 * A URL as it may appear in an error message: scheme and host only, everything that could be a
 * credential (user info, path, query, fragment) replaced by a marker. Unparsable input shows
 * at most a leading scheme, since its structure is unknown.
 */
export function redactUrl(value: unknown, found?: string): string {
  if (typeof value !== 'string') return `<${value === null ? 'null' : typeof value}>`;
  let u: URL | undefined;
  try {
    u = new URL(value);
  } catch {
    u = undefined;
  }
  if (!u || !u.host) {
    const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]{0,15}:\/\//.exec(value)?.[0] ?? '';
    return `'${scheme}<redacted>'`;
  }
  const marker = found ? `<redacted: ${found}>` : '<redacted>';
  const rest = u.pathname.length > 1 || u.search || u.hash || u.username || u.password ? `/${marker}` : '';
  return `'${u.protocol}//${u.host}${rest}'`;
}

/** The library's error for a URL prop, with the value redacted. */
export function urlError(prop: string, value: unknown, expected: string): ValidationError {
  return new ValidationError(`'${prop}' must be ${expected}, got ${redactUrl(value)}`);
}

/**
 * Parses a URL prop once and refuses, at construction, anything that would put a credential
 * into a manifest or that a consuming program could read differently: non-strings, whitespace
 * or control characters, unparsable text, other schemes, and every form of inline credential
 * (see `credentialInUrl`). Every message shows the value redacted (`redactUrl`), because a
 * malformed URL is as likely to hold a secret as a well-formed one.
 * Parsing is the runtime's WHATWG URL parser (the same one browsers use), not a regex.
 */
export function requireSafeUrl(prop: string, value: unknown, options: UrlOptions = {}): URL {
  const schemes = options.schemes ?? ['http', 'https'];
  const expected = options.expected ?? `an ${schemes.join('/')} URL like https://example.com`;
  if (typeof value !== 'string' || value.length === 0) throw urlError(prop, value, expected);
  if (value.length > 2048) throw urlError(prop, value, `${expected}, at most 2048 characters`);
  if (CONTROL_OR_SPACE.test(value)) throw urlError(prop, value, `${expected} without spaces or control characters`);
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw urlError(prop, value, expected);
  }
  const why = credentialInUrl(u);
  if (why) {
    throw new ValidationError(`'${prop}' must be ${options.credentialExpected ?? 'a URL without credentials (they would be written into the manifest in clear)'}, got ${redactUrl(value, why)}`);
  }
  if (!schemes.includes(u.protocol.slice(0, -1)) || !u.hostname) throw urlError(prop, value, expected);
  return u;
}

/** `requireSafeUrl` for an optional prop. */
export function optionalSafeUrl(prop: string, value: unknown, options?: UrlOptions): URL | undefined {
  return value === undefined ? undefined : requireSafeUrl(prop, value, options);
}
