/**
 * Errors raised at construction time. Every message names the prop, the value received and
 * what was expected, so a user can fix the input without reading the library's source.
 */
export class ValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValidationError';
  }
}

/** Renders a number the way a user wrote it, never as NaN, Infinity or an unreadable exponent. */
function showNumber(n: number): string {
  if (Number.isNaN(n)) return 'not a number';
  if (!Number.isFinite(n)) return n > 0 ? 'an infinite number' : 'a negative infinite number';
  if (n !== 0 && Math.abs(n) < 1e-6) return `a number too close to zero (${n < 0 ? '-' : ''}less than 0.000001 in magnitude)`;
  if (Math.abs(n) >= 1e21) return 'a number too large to use (1e21 or more in magnitude)';
  return String(n);
}

/** Renders a received value for an error message (strings quoted, objects as JSON). */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number') return showNumber(value);
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol' || typeof value === 'bigint') return `a ${typeof value}`;
  try {
    const json = JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? showNumber(v) : v));
    return json === undefined ? String(value) : json;
  } catch {
    return `a ${Array.isArray(value) ? 'list' : 'value'} that cannot be printed`;
  }
}

/** Renders a bound of a range: the smallest positive double reads as "more than 0". */
function bound(op: '>=' | '<=', n: number): string {
  if (op === '>=' && n === Number.MIN_VALUE) return '> 0';
  return `${op} ${n}`;
}

/** Builds the library's standard error: `'<prop>' must be <expected>, got <value>`. */
export function invalid(prop: string, value: unknown, expected: string): ValidationError {
  return new ValidationError(`'${prop}' must be ${expected}, got ${show(value)}`);
}

/** The largest value of the int32 fields of Kubernetes (replicas, ports, seconds). */
export const INT32_MAX = 2_147_483_647;

/** Throws unless `n` is an integer within [min, max]. */
export function requireInt(prop: string, n: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min || n > max) {
    const range = max >= Number.MAX_SAFE_INTEGER ? `an integer ${bound('>=', min)}`
      : max === INT32_MAX ? `a 32-bit integer ${bound('>=', min)}` : `an integer between ${min} and ${max}`;
    throw invalid(prop, n, range);
  }
  return n;
}

/** Throws unless `n` is a finite number within [min, max]. */
export function requireNumber(prop: string, n: number, min = -Infinity, max = Infinity): number {
  if (typeof n !== 'number' || !Number.isFinite(n) || n < min || n > max) {
    const lo = Number.isFinite(min) ? ` ${bound('>=', min)}` : '';
    const hi = Number.isFinite(max) ? `${lo ? ' and' : ''} ${bound('<=', max)}` : '';
    throw invalid(prop, n, `a finite number${lo}${hi}`);
  }
  return n;
}

/** Throws unless `v` is a string (optionally non-empty); for props a JavaScript caller can mistype. */
export function requireString(prop: string, v: unknown, nonEmpty = false): string {
  if (typeof v !== 'string' || (nonEmpty && v === '')) throw invalid(prop, v, nonEmpty ? 'a non-empty string' : 'a string');
  return v;
}

/** Throws unless `v` is an array; returns it typed. */
export function requireArray<T>(prop: string, v: readonly T[], what = 'a list'): readonly T[] {
  if (!Array.isArray(v)) throw invalid(prop, v, what);
  return v as readonly T[];
}

/** Throws unless `v` is a plain object (not an array, not null). */
export function requireObject<T extends object>(prop: string, v: T | unknown, what = 'an object'): T {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid(prop, v, what);
  return v as T;
}

/** Throws unless `v` is a boolean. */
export function requireBoolean(prop: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw invalid(prop, v, 'true or false');
  return v;
}

/** Marks a message produced by {@link within} from an internal TypeError (the oracle counts these as unclear). */
export const INTERNAL_TYPE_ERROR = 'must have the documented type; an internal check failed';

/**
 * Runs `build` (a nested construct built from the `prefix` part of a facade's props) so that its
 * errors name the full prop path: `'replicas' must ...` becomes `'metrics.replicas' must ...`.
 * The one place facades (MonitoringPlatform, the stacks and suites) qualify their parts' errors.
 * A TypeError (a wrong type no check caught) still becomes a ValidationError naming the part.
 */
export function within<T>(prefix: string, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (e instanceof ValidationError) {
      const m = /^'([^']*)'/.exec(e.message);
      throw new ValidationError(m ? `'${prefix}${m[1] ? `${m[1].startsWith('[') ? '' : '.'}${m[1]}` : ''}'${e.message.slice(m[0].length)}` : `'${prefix}': ${e.message}`);
    }
    if (e instanceof TypeError) throw new ValidationError(`'${prefix}' ${INTERNAL_TYPE_ERROR} (${e.message})`);
    throw e;
  }
}

/** Throws when a name is already present in a collection (addXxx mutators). */
export function requireUnique(prop: string, name: string, existing: Iterable<string>): void {
  for (const e of existing) {
    if (e === name) throw new ValidationError(`'${prop}' must be unique, got duplicate ${show(name)}`);
  }
}
