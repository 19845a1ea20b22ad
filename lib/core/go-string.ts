/**
 * Go string literals as PromQL, LogQL and Go templates write them: `"..."` and `'...'` with
 * Go's escapes, and raw `` `...` ``. The grammars the library parses with (lezer) accept any
 * backslash escape, while the Go programs refuse unknown ones (`"\d"`), so the value is decoded
 * here, the same way, before it is checked (a regex is compiled from the decoded value).
 * Returns undefined when the literal is not valid Go.
 */
export function unquoteGoString(literal: string): string | undefined {
  const q = literal[0];
  if (literal.length < 2 || literal[literal.length - 1] !== q) return undefined;
  const body = literal.slice(1, -1);
  if (q === '`') return body.includes('`') ? undefined : body;
  if (q !== '"' && q !== "'") return undefined;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === q || ch === '\n') return undefined;
    if (ch !== '\\') { out += ch; continue; }
    const e = body[++i];
    const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };
    if (e in simple) { out += simple[e]; continue; }
    if (e === q) { out += q; continue; }
    const hex = { x: 2, u: 4, U: 8 }[e as 'x' | 'u' | 'U'];
    if (hex) {
      const digits = body.slice(i + 1, i + 1 + hex);
      if (!new RegExp(`^[0-9a-fA-F]{${hex}}$`).test(digits)) return undefined;
      const code = parseInt(digits, 16);
      if (code > 0x10ffff || (e !== 'x' && code >= 0xd800 && code < 0xe000)) return undefined;
      out += e === 'x' ? String.fromCharCode(code) : String.fromCodePoint(code);
      i += hex;
      continue;
    }
    if (e !== undefined && /[0-7]/.test(e)) {
      const digits = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(digits) || parseInt(digits, 8) > 255) return undefined;
      out += String.fromCharCode(parseInt(digits, 8));
      i += 2;
      continue;
    }
    return undefined;
  }
  return out;
}
