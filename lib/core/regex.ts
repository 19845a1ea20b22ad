import { RE2JS } from 're2js';
import { invalid } from './errors.js';

/**
 * Go's RE2 is the regex engine of Prometheus, Alertmanager, Loki and Alloy; re2js is a pure-JS
 * port of it. JavaScript's RegExp is no judge: it accepts patterns RE2 refuses (lookarounds,
 * backreferences) and refuses some RE2 accepts (`(?P<name>`, `[[:digit:]]`, `\z`).
 */
function compile(pattern: string): RE2JS | string {
  let result = compiled.get(pattern);
  if (result === undefined) {
    try {
      result = RE2JS.compile(pattern);
    } catch (e) {
      result = (e as Error).message;
    }
    compiled.set(pattern, result);
  }
  return result;
}

/**
 * Compiled patterns (or RE2's reason to refuse them) by exact pattern: the platform repeats the
 * same matchers in many expressions, and a compiled RE2JS pattern is immutable (matching goes
 * through a fresh matcher).
 */
const compiled = new Map<string, RE2JS | string>();

/** `pattern` compiled as RE2, from the cache; throws RE2's error when it refuses it. */
export function compileRe2(pattern: string): RE2JS {
  const result = compile(pattern);
  if (typeof result === 'string') throw new Error(result);
  return result;
}

/** Why RE2 refuses `pattern` (for example `error parsing regexp: invalid repeat count: {1001}`), or undefined. */
export function re2Error(pattern: string): string | undefined {
  const result = compile(pattern);
  return typeof result === 'string' ? result : undefined;
}

/**
 * Compiles `pattern` as RE2 and throws naming the prop when RE2 refuses it: unbalanced groups,
 * repeat counts over 1000 (`a{1001}`), unknown POSIX classes (`[[:foo:]]`), lookarounds,
 * backreferences. Every regex prop of the library goes through it. Returns the named capture
 * groups in order.
 */
export function validateRe2(pattern: string, prop = 'regex', options: { allowEmpty?: boolean } = {}): string[] {
  if (typeof pattern !== 'string' || (pattern === '' && !options.allowEmpty)) {
    throw invalid(prop, pattern, 'a non-empty RE2 regular expression');
  }
  const result = compile(pattern);
  if (typeof result === 'string') throw invalid(prop, pattern, `an RE2 (Go) regular expression (${result})`);
  const groups = result.namedGroups() as Record<string, number>;
  return Object.entries(groups).sort((a, b) => a[1] - b[1]).map(([name]) => name);
}
