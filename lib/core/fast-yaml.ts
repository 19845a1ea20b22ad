import { Yaml } from 'cdk8s';
import { Document, stringify } from 'yaml';

// A writer for the manifests cdk8s writes, byte-identical to cdk8s's own (`Yaml.stringify`:
// the `yaml` package with `{ keepUndefined: true, lineWidth: 0, version: '1.1' }`).
//
// Hand-written because that writer builds a full YAML document tree per object and is most of the
// time of a large synth (4.4 s of `stringify` for 20,000 objects, against 0.2 s for
// `JSON.stringify`). It covers only the shapes manifests have (plain objects, arrays, strings,
// finite numbers, booleans, null) and leaves every decision about a one-line string to the `yaml`
// package itself: a string is written plain only when it has none of the characters that need
// quoting and none of the 1.1 schema's own tags (bool, int, float, null, timestamp...) reads it
// as something else, and any other string is written as `yaml` writes it, cached. A multi-line
// value (a configuration file in a ConfigMap) is a literal block scalar, written by the rules of
// `yaml` 2.x's `blockString` for `lineWidth: 0` (`blockLiteral` below); the cases those rules
// send elsewhere (control characters, a whitespace-only last line, "keep" chomping) and
// anything else (undefined, -0, an odd key) hand the document to `yaml` whole.
// `test/core/fast-yaml.test.ts` checks the bytes against `yaml` on the seed platform, model
// services and random documents.

const OPTIONS = { keepUndefined: true, lineWidth: 0, version: '1.1' } as const;
const SAFE_PLAIN = /^[A-Za-z0-9_][A-Za-z0-9_./=+-]*$/;
const schema = new Document(null, { version: '1.1' }).schema as unknown as {
  tags: Array<{ default?: boolean; tag: string; test?: RegExp }>;
  compat?: Array<{ default?: boolean; tag: string; test?: RegExp }> | null;
};
const nonStringTags = [...schema.tags, ...(schema.compat ?? [])].filter((t) => t.default && t.tag !== 'tag:yaml.org,2002:str' && t.test);
const scalars = new Map<string, string>();

/** Characters for which `yaml` double-quotes a string (its `stringifyString`). */
const NEEDS_DOUBLE_QUOTES = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
class Unsupported extends Error {}

// yaml's `plainString`: a one-line string that matches this is quoted.
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;

/**
 * A one-line string without control characters as `yaml` 2.x writes it at `lineWidth: 0`
 * (`stringifyString`: `plainString`, then `quotedString`): plain unless an indicator, a
 * `: `/` #` or the 1.1 schema's tags say otherwise; quoted with `'` when it holds `"` and no
 * `'`, otherwise with `"` (where `yaml`'s double-quoted form is `JSON.stringify` for these
 * characters). Decided here rather than by calling `yaml`, which builds a document per string and
 * was a tenth of a cold synth. The test compares these bytes with `yaml`'s on random strings.
 */
function oneLineString(value: string): string {
  // The 1.1 merge tag claims the string `<<` before the string tag does, and writes it as is.
  if (value === '<<') return value;
  if (!NOT_PLAIN.test(value)) {
    // At the top of a document (where the cache's answer must hold anywhere) yaml writes a
    // document marker as a block.
    if (DOCUMENT_MARKER.test(value)) throw new Unsupported();
    if (!nonStringTags.some((t) => t.test!.test(value))) return value;
  }
  return value.includes('"') && !value.includes("'") ? `'${value}'` : JSON.stringify(value);
}

function scalarString(value: string): string {
  let out = scalars.get(value);
  if (out !== undefined) return out;
  if (SAFE_PLAIN.test(value) && !nonStringTags.some((t) => t.test!.test(value))) {
    out = value;
  } else if (/[\n\r]/.test(value)) {
    throw new Unsupported();
  } else if (!NEEDS_DOUBLE_QUOTES.test(value)) {
    out = oneLineString(value);
  } else {
    const written = stringify(value, OPTIONS);
    out = written.slice(0, -1);
    // Only a one-line quoted or plain scalar is context-free; anything else goes to `yaml` whole.
    if (!written.endsWith('\n') || out.includes('\n') || out.startsWith('|') || out.startsWith('>')) throw new Unsupported();
  }
  // A long string (a dashboard's JSON) comes up once: it is not kept.
  if (value.length <= 1000) scalars.set(value, out);
  return out;
}

const BLOCK_END_NEWLINES = /(^|(?<!\n))\n+(?!\n|$)/g;

/**
 * A multi-line string as the value of a key or a sequence item whose content lines sit at
 * `indent` (never empty here), as `yaml` writes it with `lineWidth: 0`: a literal block (`|`),
 * with the chomping indicator its trailing newlines need and an indentation indicator when it
 * starts with a space. Throws `Unsupported` where `yaml` would write something else.
 */
function blockLiteral(value: string, indent: string): string {
  if (NEEDS_DOUBLE_QUOTES.test(value) || /\n[\t ]+$/.test(value)) throw new Unsupported();
  let endStart = value.length;
  while (endStart > 0 && ' \t\n'.includes(value[endStart - 1])) endStart--;
  let end = value.substring(endStart);
  const endNl = end.indexOf('\n');
  if (endNl !== -1 && (value === end || endNl !== end.length - 1)) throw new Unsupported(); // "keep" chomping
  const chomp = endNl === -1 ? '-' : '';
  let body = value;
  if (end) {
    body = body.slice(0, -end.length);
    if (end.endsWith('\n')) end = end.slice(0, -1);
    end = end.replace(BLOCK_END_NEWLINES, `$&${indent}`);
  }
  let startWithSpace = false;
  let startEnd = 0;
  let startNl = -1;
  for (; startEnd < body.length; startEnd++) {
    const ch = body[startEnd];
    if (ch === ' ') startWithSpace = true;
    else if (ch === '\n') startNl = startEnd;
    else break;
  }
  let start = body.substring(0, startNl < startEnd ? startNl + 1 : startEnd);
  if (start) {
    body = body.substring(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  return `|${startWithSpace ? '2' : ''}${chomp}\n${indent}${start}${body.replace(/\n+/g, `$&${indent}`)}${end}`;
}

function scalar(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string': return scalarString(value);
    case 'boolean': return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value) || Object.is(value, -0)) throw new Unsupported();
      return JSON.stringify(value);
    case 'object':
      if (value === null) return 'null';
      return undefined;
    default:
      throw new Unsupported();
  }
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `value` after a key (`key:<here>`) or a dash (`-<here>`), its nested lines at `indent`. */
function inline(value: unknown, indent: string, out: string[], seqIndent: string): void {
  if (typeof value === 'string' && value.includes('\n')) { out.push(' ', blockLiteral(value, indent)); return; }
  const s = scalar(value);
  if (s !== undefined) { out.push(` ${s}`); return; }
  if (Array.isArray(value)) {
    if (value.length === 0) { out.push(' []'); return; }
    out.push('\n');
    sequence(value, seqIndent, out);
    return;
  }
  if (!isPlainObject(value as object)) throw new Unsupported();
  const entries = Object.keys(value as object);
  if (entries.length === 0) { out.push(' {}'); return; }
  out.push('\n');
  mapping(value as Record<string, unknown>, indent, out);
}

function mapping(obj: Record<string, unknown>, indent: string, out: string[], first = true): void {
  let start = first;
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    if (value === undefined) throw new Unsupported();
    if (!start) out.push('\n');
    start = false;
    const k = scalarString(key);
    if (k.length > 1000) throw new Unsupported();
    out.push(indent, k, ':');
    // A sequence under a key is indented one step (the `yaml` default `indentSeq: true`).
    inline(value, `${indent}  `, out, `${indent}  `);
  }
}

function sequence(items: unknown[], indent: string, out: string[]): void {
  items.forEach((item, i) => {
    if (i > 0) out.push('\n');
    if (item === undefined) throw new Unsupported();
    out.push(indent, '-');
    const inner = `${indent}  `;
    if (typeof item === 'string' && item.includes('\n')) { out.push(' ', blockLiteral(item, inner)); return; }
    const s = scalar(item);
    if (s !== undefined) { out.push(` ${s}`); return; }
    if (Array.isArray(item)) {
      if (item.length === 0) { out.push(' []'); return; }
      out.push(' ');
      // The first item of a nested sequence shares the dash's line.
      const nested: string[] = [];
      sequence(item, inner, nested);
      out.push(nested.join('').slice(inner.length));
      return;
    }
    if (!isPlainObject(item as object)) throw new Unsupported();
    if (Object.keys(item as object).length === 0) { out.push(' {}'); return; }
    out.push(' ');
    const nested: string[] = [];
    mapping(item as Record<string, unknown>, inner, nested);
    out.push(nested.join('').slice(inner.length));
  });
}

/** One document as cdk8s writes it, or undefined when it is not a shape this writer covers. */
export function fastDocument(doc: unknown): string | undefined {
  try {
    const out: string[] = [];
    if (Array.isArray(doc)) {
      if (doc.length === 0) return undefined;
      sequence(doc, '', out);
    } else if (typeof doc === 'object' && doc !== null && isPlainObject(doc) && Object.keys(doc).length > 0) {
      mapping(doc as Record<string, unknown>, '', out);
    } else {
      return undefined;
    }
    out.push('\n');
    return out.join('');
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

/** A drop-in for cdk8s's `Yaml.stringify(...docs)`: the same bytes, written faster. */
export function fastYamlStringify(...docs: unknown[]): string {
  return docs.map((d) => d === undefined ? '\n' : (fastDocument(d) ?? stringify(d, OPTIONS))).join('---\n');
}

/**
 * Makes cdk8s write YAML in this process, with this library's writer (`app.synth()` and
 * `Yaml.save` call `Yaml.stringify`): the same bytes as cdk8s's own writer, several times faster
 * on large apps. Call it once, before `app.synth()`.
 */
export function useFastYamlWriter(): void {
  (Yaml as unknown as { stringify: (...docs: unknown[]) => string }).stringify = fastYamlStringify;
}
