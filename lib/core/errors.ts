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

/** Renders a received value for an error message (strings quoted, objects as JSON). */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Builds the library's standard error: `'<prop>' must be <expected>, got <value>`. */
export function invalid(prop: string, value: unknown, expected: string): ValidationError {
  return new ValidationError(`'${prop}' must be ${expected}, got ${show(value)}`);
}

/** Throws unless `n` is an integer within [min, max]. */
export function requireInt(prop: string, n: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer between ${min} and ${max}`;
    throw invalid(prop, n, range);
  }
  return n;
}

/** Throws unless `n` is a finite number within [min, max]. */
export function requireNumber(prop: string, n: number, min = -Infinity, max = Infinity): number {
  if (typeof n !== 'number' || !Number.isFinite(n) || n < min || n > max) {
    const lo = min === -Infinity ? '' : ` >= ${min}`;
    const hi = max === Infinity ? '' : `${lo ? ' and' : ''} <= ${max}`;
    throw invalid(prop, n, `a finite number${lo}${hi}`);
  }
  return n;
}

/** Throws when a name is already present in a collection (addXxx mutators). */
export function requireUnique(prop: string, name: string, existing: Iterable<string>): void {
  for (const e of existing) {
    if (e === name) throw new ValidationError(`'${prop}' must be unique, got duplicate ${show(name)}`);
  }
}
