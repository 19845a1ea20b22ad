import { invalid } from '../core/errors.js';

/**
 * A tiny renderer for the Alloy configuration syntax (formerly River). It is hand-written
 * because no JavaScript library renders Alloy syntax (the only implementation is Go, in
 * grafana/alloy's `syntax` package). It covers the subset the log agent needs: blocks with
 * optional labels, attributes, strings, numbers, booleans, lists, maps and references.
 * Strings are escaped with JSON rules (`\"`, `\\`, `\n`, `\uXXXX`), which Alloy accepts.
 */

/** A reference or function call, written verbatim: `discovery.kubernetes.pods.targets`, `sys.env("NODE_NAME")`. */
export class AlloyExpr {
  constructor(readonly text: string) {}
}

export type AlloyValue = string | number | boolean | AlloyExpr | AlloyValue[] | { readonly [key: string]: AlloyValue };

/** One block: `name "label" { attributes... blocks... }`. Attributes keep their insertion order. */
export interface AlloyBlock {
  readonly name: string;
  readonly label?: string;
  readonly attrs?: Record<string, AlloyValue | undefined>;
  readonly blocks?: AlloyBlock[];
}

const BLOCK_NAME = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Shorthand for a reference expression. */
export function ref(text: string): AlloyExpr {
  return new AlloyExpr(text);
}

function renderValue(value: AlloyValue, indent: string): string {
  if (value instanceof AlloyExpr) return value.text;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalid('alloy value', value, 'a finite number');
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    // Short lists of scalars stay on one line, as Alloy's own formatter writes them.
    if (value.every((v) => typeof v !== 'object' || v instanceof AlloyExpr)) {
      const flat = `[${value.map((v) => renderValue(v, indent)).join(', ')}]`;
      if (flat.length + indent.length <= 100) return flat;
    }
    const inner = `${indent}  `;
    return `[\n${value.map((v) => `${inner}${renderValue(v, inner)},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  const inner = `${indent}  `;
  const width = Math.max(...entries.map(([k]) => key(k).length));
  return `{\n${entries.map(([k, v]) => `${inner}${key(k).padEnd(width)} = ${renderValue(v, inner)},`).join('\n')}\n${indent}}`;
}

/** Map keys that are not identifiers are quoted (Alloy allows both). */
function key(k: string): string {
  return IDENTIFIER.test(k) ? k : JSON.stringify(k);
}

function renderBlock(block: AlloyBlock, indent: string): string {
  if (!BLOCK_NAME.test(block.name)) throw invalid('alloy block name', block.name, 'a dotted lowercase identifier like loki.source.file');
  if (block.label !== undefined && !IDENTIFIER.test(block.label)) {
    throw invalid(`${block.name} label`, block.label, 'an identifier of letters, digits and "_"');
  }
  const inner = `${indent}  `;
  const attrs = Object.entries(block.attrs ?? {}).filter((e): e is [string, AlloyValue] => e[1] !== undefined);
  for (const [name] of attrs) {
    if (!IDENTIFIER.test(name)) throw invalid(`${block.name} attribute`, name, 'an identifier');
  }
  const width = attrs.length ? Math.max(...attrs.map(([n]) => n.length)) : 0;
  const lines = [
    ...attrs.map(([n, v]) => `${inner}${n.padEnd(width)} = ${renderValue(v, inner)}`),
    ...(block.blocks ?? []).map((b) => renderBlock(b, inner)),
  ];
  const head = `${indent}${block.name}${block.label !== undefined ? ` ${JSON.stringify(block.label)}` : ''}`;
  return lines.length ? `${head} {\n${lines.join('\n')}\n${indent}}` : `${head} {}`;
}

/** Renders top-level blocks, separated by blank lines, with an optional leading comment. */
export function renderAlloy(blocks: AlloyBlock[], comment?: string): string {
  const header = comment ? `${comment.split('\n').map((l) => `// ${l}`).join('\n')}\n\n` : '';
  return `${header}${blocks.map((b) => renderBlock(b, '')).join('\n\n')}\n`;
}
