import { invalid } from './errors.js';
import { unquoteGoString } from './go-string.js';

/**
 * A parse-only checker for Go's text/template, the language of Prometheus alert annotations
 * and labels and of Alertmanager receiver fields. Hand-written because npm has no maintained
 * parser for it (the packages found are unmaintained or render a subset without reporting
 * parse errors). It follows the grammar of Go's text/template/parse: text and actions,
 * `{{- ` / ` -}}` trim markers, comments that must touch their delimiters, pipelines with
 * variable declarations, strings, raw strings, characters and numbers, parenthesised
 * pipelines and field chains, if/else if/range/with/else with/define/template/block/
 * break/continue/end nesting, variable scopes and the functions the reading program defines.
 * It answers what Go's `Parse` answers (tests compare it with promtool and amtool); execution
 * errors (a missing field) are out of its reach, as they are out of promtool's.
 */

/**
 * Which program renders the template: it decides the functions and predefined variables.
 * `loki` (line_format, label_format) skips the function check, like Go's SkipFuncCheck mode:
 * Loki adds its own and Sprig's functions, which no binary here can confirm.
 */
export type TemplateDialect = 'prometheus' | 'alertmanager' | 'loki';

const GO_BUILTINS = 'and call eq ge gt html index js le len lt ne not or print printf println slice urlquery';
// Measured on the deployed binaries: names `promtool check rules` 3.5.3 and `amtool check-config`
// 0.28.1 accept in `{{ if false }}{{ name }}{{ end }}` (the others are "not defined").
const FUNCTIONS: Record<TemplateDialect, Set<string> | undefined> = {
  prometheus: new Set(`${GO_BUILTINS} query first label value strvalue args reReplaceAll safeHtml match title toUpper toLower
    graphLink tableLink sortByLabel stripPort stripDomain humanize humanize1024 humanizeDuration humanizePercentage
    humanizeTimestamp toTime parseDuration externalURL pathPrefix`.split(/\s+/)),
  alertmanager: new Set(`${GO_BUILTINS} reReplaceAll safeHtml match title toUpper toLower humanizeDuration trimSpace join
    stringSlice date tz since`.split(/\s+/)),
  loki: undefined,
};
// Prometheus prefixes alert templates with `{{$labels := .Labels}}`, `$externalLabels`, `$externalURL`, `$value`.
const PREDEFINED: Record<TemplateDialect, string[]> = {
  prometheus: ['$', '$labels', '$externalLabels', '$externalURL', '$value'],
  alertmanager: ['$'],
  loki: ['$'],
};
const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'nil', 'template', 'with']);

type Kind = 'text' | 'left' | 'right' | 'space' | 'ident' | 'keyword' | 'bool' | 'field' | 'variable' | 'dot' | 'string' | 'number'
  | 'pipe' | 'declare' | 'assign' | 'lparen' | 'rparen' | 'char' | 'eof';
interface Token { readonly kind: Kind; readonly val: string }

class TemplateError extends Error {}
const err = (msg: string): never => { throw new TemplateError(msg); };

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlnum = (c: string | undefined) => c !== undefined && /^[\p{L}\p{Nd}_]$/u.test(c);
const NUMBER = /^[+-]?(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|[0-9](?:_?[0-9])*(?:\.(?:[0-9](?:_?[0-9])*)?)?(?:[eE][+-]?[0-9](?:_?[0-9])*)?|\.[0-9](?:_?[0-9])*(?:[eE][+-]?[0-9](?:_?[0-9])*)?|0[xX](?:_?[0-9a-fA-F])*(?:\.[0-9a-fA-F]*)?[pP][+-]?[0-9](?:_?[0-9])*)i?$/;

function rightDelimAt(s: string, i: number): number {
  if (isSpace(s[i]) && s[i + 1] === '-' && s.startsWith('}}', i + 2)) return 4;
  return s.startsWith('}}', i) ? 2 : 0;
}

/** Splits a template into tokens the way Go's lexer does (text between actions is dropped). */
function lex(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  for (;;) {
    const open = s.indexOf('{{', i);
    const text = s.slice(i, open < 0 ? undefined : open);
    // Only whether a define body is empty matters (Go allows redefining an empty one).
    if (text.trim() !== '') out.push({ kind: 'text', val: text });
    if (open < 0) { out.push({ kind: 'eof', val: '' }); return out; }
    i = open + 2;
    if (s[i] === '-' && isSpace(s[i + 1])) i += 2;
    if (s.startsWith('/*', i)) {
      const close = s.indexOf('*/', i + 2);
      if (close < 0) err('unclosed comment');
      const d = rightDelimAt(s, close + 2);
      if (!d) err('comment ends before closing delimiter');
      i = close + 2 + d;
      continue;
    }
    out.push({ kind: 'left', val: '{{' });
    let depth = 0;
    for (;;) {
      const d = rightDelimAt(s, i);
      if (d) {
        if (depth > 0) err('unclosed left paren');
        out.push({ kind: 'right', val: '}}' });
        i += d;
        break;
      }
      const c = s[i];
      if (c === undefined) err('unclosed action');
      const start = i;
      const word = (): string => { while (isAlnum(s[i])) i++; return s.slice(start, i); };
      const terminated = () => {
        const n = s[i];
        if (!(n === undefined || isSpace(n) || '.,|:()}'.includes(n))) err(`bad character ${JSON.stringify(n)}`);
      };
      if (isSpace(c)) {
        while (isSpace(s[i])) i++;
        if (rightDelimAt(s, i - 1) === 4) i--;
        if (i > start) out.push({ kind: 'space', val: s.slice(start, i) });
      } else if (c === '=') { i++; out.push({ kind: 'assign', val: '=' }); }
      else if (c === ':') {
        if (s[i + 1] !== '=') err('expected :=');
        i += 2; out.push({ kind: 'declare', val: ':=' });
      } else if (c === '|') { i++; out.push({ kind: 'pipe', val: '|' }); }
      else if (c === '"' || c === "'") {
        for (i++; s[i] !== c; i++) {
          if (s[i] === '\\') i++;
          if (s[i] === undefined || s[i] === '\n') err(c === '"' ? 'unterminated quoted string' : 'unterminated character constant');
        }
        i++;
        const lit = s.slice(start, i);
        const value = unquoteGoString(lit);
        if (value === undefined || (c === "'" && [...value].length !== 1)) err(`malformed ${c === '"' ? 'string' : 'character constant'}: ${lit}`);
        out.push({ kind: c === '"' ? 'string' : 'number', val: lit });
      } else if (c === '`') {
        const close = s.indexOf('`', i + 1);
        if (close < 0) err('unterminated raw quoted string');
        i = close + 1;
        out.push({ kind: 'string', val: s.slice(start, i) });
      } else if (c === '$') {
        i++; word(); terminated();
        out.push({ kind: 'variable', val: s.slice(start, i) });
      } else if (c === '.' && !/[0-9]/.test(s[i + 1] ?? '')) {
        i++; word(); terminated();
        out.push(i - start === 1 ? { kind: 'dot', val: '.' } : { kind: 'field', val: s.slice(start, i) });
      } else if (/[0-9+\-.]/.test(c)) {
        i++;
        while (/[0-9a-zA-Z_.]/.test(s[i] ?? '') || ('+-'.includes(s[i]) && /[eEpP]/.test(s[i - 1]))) i++;
        const lit = s.slice(start, i);
        if (!NUMBER.test(lit)) err(`bad number syntax: ${JSON.stringify(lit)}`);
        out.push({ kind: 'number', val: lit });
      } else if (isAlnum(c)) {
        const w = word(); terminated();
        out.push({ kind: w === 'true' || w === 'false' ? 'bool' : KEYWORDS.has(w) ? 'keyword' : 'ident', val: w });
      } else if (c === '(') { i++; depth++; out.push({ kind: 'lparen', val: '(' }); }
      else if (c === ')') {
        if (--depth < 0) err('unexpected right paren');
        i++; out.push({ kind: 'rparen', val: ')' });
      } else if (c.charCodeAt(0) < 0x7f && c.charCodeAt(0) >= 0x20) { i++; out.push({ kind: 'char', val: c }); }
      else err(`unrecognized character in action: ${JSON.stringify(c)}`);
    }
  }
}

/** Recursive descent over the tokens, after Go's text/template/parse. */
class TemplateParser {
  private pos = 0;
  private vars: string[];
  private rangeDepth = 0;
  private readonly defined = new Set<string>();

  constructor(private readonly toks: Token[], private readonly dialect: TemplateDialect) {
    this.vars = [...PREDEFINED[dialect]];
  }

  private peek(): Token { return this.toks[this.pos]; }
  private next(): Token { return this.toks[this.pos++]; }
  private skipSpace(): void { while (this.peek().kind === 'space') this.pos++; }
  private nextNonSpace(): Token { this.skipSpace(); return this.next(); }
  private peekNonSpace(): Token { this.skipSpace(); return this.peek(); }
  private expect(kind: Kind, context: string): void {
    const t = this.nextNonSpace();
    if (t.kind !== kind) err(`unexpected ${show(t)} in ${context}`);
  }

  parse(): void {
    while (this.peek().kind !== 'eof') {
      if (this.next().kind === 'text') continue;
      this.pos--;
      this.expect('left', 'input');
      const t = this.peekNonSpace();
      if (t.kind === 'keyword' && t.val === 'define') { this.next(); this.definition(); continue; }
      const end = this.action();
      if (end) err(`unexpected {{${end}}}`);
    }
  }

  /** Parses one action after `{{`; returns 'end' or 'else' for those, undefined otherwise. */
  private action(): 'end' | 'else' | undefined {
    const t = this.nextNonSpace();
    if (t.kind === 'keyword') {
      switch (t.val) {
        case 'end': this.expect('right', 'end'); return 'end';
        case 'else': {
          const p = this.peekNonSpace();
          if (!(p.kind === 'keyword' && (p.val === 'if' || p.val === 'with'))) this.expect('right', 'else');
          return 'else';
        }
        case 'if': case 'with': case 'range': this.control(t.val); return undefined;
        case 'template': this.templateName('template clause'); if (this.peekNonSpace().kind !== 'right') this.pipeline('template clause', 'right'); else this.next(); return undefined;
        case 'block': this.templateName('block clause'); this.pipeline('block clause', 'right'); this.subTree(() => this.list('block clause')); return undefined;
        case 'break': case 'continue':
          this.expect('right', `{{${t.val}}}`);
          if (this.rangeDepth === 0) err(`{{${t.val}}} outside {{range}}`);
          return undefined;
        default: break;
      }
    }
    this.pos--;
    this.pipeline('command', 'right');
    return undefined;
  }

  /** Items until `{{end}}` or `{{else}}`; returns which ended the list. */
  private itemList(): 'end' | 'else' {
    for (;;) {
      if (this.peek().kind === 'eof') err('unexpected EOF');
      if (this.peek().kind === 'text') { this.pos++; continue; }
      this.expect('left', 'input');
      const end = this.action();
      if (end) return end;
    }
  }

  private list(context: string): void {
    if (this.itemList() !== 'end') err(`unexpected {{else}} in ${context}`);
  }

  private control(context: 'if' | 'with' | 'range'): void {
    const saved = this.vars.length;
    this.pipeline(context, 'right');
    if (context === 'range') this.rangeDepth++;
    const end = this.itemList();
    if (context === 'range') this.rangeDepth--;
    if (end === 'else') {
      const p = this.peek();
      if (context !== 'range' && p.kind === 'keyword' && p.val === context) { this.next(); this.control(context); }
      else if (this.itemList() !== 'end') err('expected end; found {{else}}');
    }
    this.vars.length = saved;
  }

  private definition(): void {
    const name = this.templateName('define clause');
    this.expect('right', 'define clause');
    const before = this.pos;
    this.subTree(() => this.list('define clause'));
    // Go's IsEmptyTree: a body of blank text only (and comments, already dropped).
    const empty = this.toks.slice(before, this.pos).filter((t) => t.kind !== 'space').length === 3;
    if (!empty && this.defined.has(name)) err(`multiple definition of template ${JSON.stringify(name)}`);
    if (!empty) this.defined.add(name);
  }

  /** A define or block body is its own tree: only `$` is in scope and no range encloses it. */
  private subTree(body: () => void): void {
    const [vars, depth] = [this.vars, this.rangeDepth];
    this.vars = ['$'];
    this.rangeDepth = 0;
    body();
    [this.vars, this.rangeDepth] = [vars, depth];
  }

  private templateName(context: string): string {
    const t = this.nextNonSpace();
    if (t.kind !== 'string') err(`unexpected ${show(t)} in ${context}`);
    return unquoteGoString(t.val)!;
  }

  private pipeline(context: string, end: 'right' | 'rparen'): void {
    let decls = 0;
    while (this.peekNonSpace().kind === 'variable') {
      const start = this.pos;
      const v = this.next();
      const after = this.peekNonSpace();
      if (after.kind === 'declare' || after.kind === 'assign') {
        this.next(); this.vars.push(v.val.split('.')[0]); decls++;
        break;
      }
      if (after.kind === 'char' && after.val === ',') {
        this.next(); this.vars.push(v.val); decls++;
        if (context !== 'range' || decls >= 2) err(`too many declarations in ${context}`);
        const n = this.peekNonSpace().kind;
        if (n !== 'variable' && n !== 'right' && n !== 'rparen') err('range can only initialize variables');
        continue;
      }
      this.pos = start;
      break;
    }
    const firstArgs: Kind[] = [];
    for (;;) {
      const t = this.nextNonSpace();
      if (t.kind === end) break;
      if (['bool', 'dot', 'field', 'ident', 'number', 'keyword', 'string', 'variable', 'lparen'].includes(t.kind)
        && !(t.kind === 'keyword' && t.val !== 'nil')) {
        this.pos--;
        firstArgs.push(this.command());
        continue;
      }
      err(`unexpected ${show(t)} in ${context}`);
    }
    if (firstArgs.length === 0) err(`missing value for ${context}`);
    firstArgs.slice(1).forEach((k, i) => {
      if (['bool', 'dot', 'keyword', 'number', 'string'].includes(k)) err(`non executable command in pipeline stage ${i + 2}`);
    });
  }

  /** One command (operands separated by spaces); returns the kind of its first operand. */
  private command(): Kind {
    let first: Kind | undefined;
    for (;;) {
      this.skipSpace();
      const k = this.operand();
      first ??= k;
      const t = this.next();
      if (t.kind === 'space') continue;
      if (t.kind === 'right' || t.kind === 'rparen') { this.pos--; break; }
      if (t.kind === 'pipe') break;
      err(`unexpected ${show(t)} in operand`);
    }
    if (first === undefined) err('empty command');
    return first!;
  }

  private operand(): Kind | undefined {
    const t = this.next();
    switch (t.kind) {
      case 'ident':
        if (FUNCTIONS[this.dialect] && !FUNCTIONS[this.dialect]!.has(t.val)) err(`function ${JSON.stringify(t.val)} not defined`);
        break;
      case 'variable':
        if (!this.vars.includes(t.val)) err(`undefined variable ${JSON.stringify(t.val)}`);
        break;
      case 'lparen': this.pipeline('parenthesized pipeline', 'rparen'); break;
      case 'keyword': if (t.val !== 'nil') { this.pos--; return undefined; } break;
      case 'bool': case 'dot': case 'field': case 'number': case 'string': break;
      default: this.pos--; return undefined;
    }
    if (this.peek().kind === 'field') {
      if (['bool', 'string', 'number', 'dot', 'keyword'].includes(t.kind)) err(`unexpected . after term ${JSON.stringify(t.val)}`);
      while (this.peek().kind === 'field') this.next();
    }
    return t.kind;
  }
}

function show(t: Token): string {
  return t.kind === 'eof' ? 'EOF' : t.kind === 'right' ? '"}}"' : JSON.stringify(t.val);
}

/** Why Go's text/template parser (with `dialect`'s functions) refuses `text`, or undefined. */
export function goTemplateError(text: string, dialect: TemplateDialect = 'prometheus'): string | undefined {
  try {
    new TemplateParser(lex(text), dialect).parse();
    return undefined;
  } catch (e) {
    if (e instanceof TemplateError) return e.message;
    throw e;
  }
}

/** Throws naming the prop unless `text` parses as a Go template of `dialect`; returns it unchanged. */
export function validateGoTemplate(text: string, prop: string, dialect: TemplateDialect = 'prometheus'): string {
  if (typeof text !== 'string') throw invalid(prop, text, 'a string');
  const error = goTemplateError(text, dialect);
  const program = { prometheus: 'Prometheus', alertmanager: 'Alertmanager', loki: 'Loki' }[dialect];
  if (error) throw invalid(prop, text, `a valid Go template for ${program} (${error})`);
  return text;
}
