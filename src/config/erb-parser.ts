// The Ruby subset of ERB tags, parsed: a tiny lexer and expression parser (see erb.ts for what is supported).

/** Raised for Ruby this interpreter does not know; erb.ts turns it into the one-line error. */
export class UnsupportedRuby extends Error {}

export type Expr =
  | { k: "lit"; v: unknown }
  | { k: "str" | "cmd"; parts: (string | Expr)[] }
  | { k: "var"; name: string }
  | { k: "const"; path: string }
  | { k: "call"; recv: Expr | null; name: string; args: Expr[]; block?: Expr }
  | { k: "index"; recv: Expr; arg: Expr }
  | { k: "or" | "and" | "eq" | "ne" | "add"; a: Expr; b: Expr }
  | { k: "ternary"; cond: Expr; a: Expr; b: Expr }
  | { k: "not"; a: Expr };

export type Statement =
  | { kind: "if" | "unless" | "elsif"; expr: Expr }
  | { kind: "else" | "end" | "begin" | "rescue" }
  | { kind: "expr"; expr: Expr }
  | { kind: "assign"; name: string; expr: Expr };

type Tok =
  | { t: "str" | "cmd"; parts: (string | Expr)[] }
  | { t: "num" | "id" | "const" | "op"; v: string }
  | { t: "nl" };

const CLOSERS: Record<string, string> = { "(": ")", "{": "}", "[": "]", "<": ">", "|": "|", "!": "!" };

function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let depth = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === "\n" || c === ";") { if (depth === 0) toks.push({ t: "nl" }); i++; continue; }
    if (/\s/.test(c)) { i++; continue; }
    if (c === "#") { while (i < src.length && src[i] !== "\n") i++; continue; }
    if (c === '"' || c === "`") { const [parts, end] = lexQuoted(src, i + 1, c, true); toks.push({ t: c === "`" ? "cmd" : "str", parts }); i = end; continue; }
    if (c === "'") { const [parts, end] = lexQuoted(src, i + 1, "'", false); toks.push({ t: "str", parts }); i = end; continue; }
    if (c === "%" && /[xqQ]/.test(src[i + 1] ?? "") && CLOSERS[src[i + 2]]) {
      const kind = src[i + 1];
      const [parts, end] = lexQuoted(src, i + 3, CLOSERS[src[i + 2]], kind !== "q", src[i + 2]);
      toks.push({ t: kind === "x" ? "cmd" : "str", parts }); i = end; continue;
    }
    const num = /^\d[\d_]*(\.\d+)?/.exec(src.slice(i));
    if (num) { toks.push({ t: "num", v: num[0].replace(/_/g, "") }); i += num[0].length; continue; }
    const word = /^[A-Za-z_]\w*(::[A-Z]\w*)*[?!]?/.exec(src.slice(i));
    if (word) { toks.push({ t: /^[A-Z]/.test(word[0]) ? "const" : "id", v: word[0] }); i += word[0].length; continue; }
    const op = /^(\|\||&&|==|!=|=~|[()[\],.=!{}|&+<>:?])/.exec(src.slice(i));
    if (!op) throw new UnsupportedRuby(c);
    if ("([{".includes(op[0])) depth++;
    if (")]}".includes(op[0])) depth--;
    toks.push({ t: "op", v: op[0] });
    i += op[0].length;
  }
  return toks;
}

function lexQuoted(src: string, start: number, close: string, interpolate: boolean, open?: string): [(string | Expr)[], number] {
  const parts: (string | Expr)[] = [];
  let buf = "";
  let nest = 0;
  let i = start;
  while (i < src.length) {
    const c = src[i];
    if (c === "\\") {
      const n = src[i + 1] ?? "";
      if (!interpolate) buf += n === close || n === "\\" ? n : `\\${n}`;
      else buf += ({ n: "\n", t: "\t", s: " ", e: "\x1b", "0": "\0", r: "\r" } as Record<string, string>)[n] ?? n;
      i += 2; continue;
    }
    if (open && open !== close && c === open) nest++;
    if (c === close) { if (nest === 0) { if (buf) parts.push(buf); return [parts, i + 1]; } nest--; }
    if (interpolate && c === "#" && src[i + 1] === "{") {
      let depth = 1;
      let j = i + 2;
      while (j < src.length && depth > 0) { if (src[j] === "{") depth++; else if (src[j] === "}") depth--; j++; }
      if (buf) { parts.push(buf); buf = ""; }
      parts.push(parseExpressionSource(src.slice(i + 2, j - 1)));
      i = j; continue;
    }
    buf += c; i++;
  }
  throw new UnsupportedRuby("unterminated string");
}

function parseExpressionSource(src: string): Expr {
  const statements = parseStatements(src);
  if (statements.length !== 1 || statements[0].kind !== "expr") throw new UnsupportedRuby(src);
  return statements[0].expr;
}

const CONTINUES = new Set(["||", "&&", "==", "!=", "=", ",", ".", "(", "["]);

/** Parses the code of one tag into statements. */
export function parseStatements(src: string): Statement[] {
  const toks = lex(src);
  const statements: Statement[] = [];
  let current: Tok[] = [];
  const flush = () => { if (current.length) statements.push(parseStatement(current)); current = []; };
  for (const tok of toks) {
    if (tok.t === "nl") {
      const last = current[current.length - 1];
      if (last && last.t === "op" && CONTINUES.has(last.v)) continue;
      flush();
    } else current.push(tok);
  }
  flush();
  return statements;
}

function parseStatement(toks: Tok[]): Statement {
  const first = toks[0];
  if (first.t === "id") {
    if (["else", "end", "begin"].includes(first.v) && toks.length === 1) return { kind: first.v as "else" | "end" | "begin" };
    if (first.v === "rescue") return { kind: "rescue" };
    if (["if", "unless", "elsif"].includes(first.v)) {
      const rest = toks[toks.length - 1].t === "id" && (toks[toks.length - 1] as { v: string }).v === "then" ? toks.slice(1, -1) : toks.slice(1);
      return { kind: first.v as "if" | "unless" | "elsif", expr: parseAll(rest) };
    }
    const second = toks[1];
    if (second && second.t === "op" && second.v === "=") return { kind: "assign", name: first.v, expr: parseAll(toks.slice(2)) };
  }
  return { kind: "expr", expr: parseAll(toks) };
}

function parseAll(toks: Tok[]): Expr {
  const parser = new ExprParser(toks);
  const expr = parser.expression();
  if (!parser.done()) throw new UnsupportedRuby("trailing tokens");
  return expr;
}

class ExprParser {
  private pos = 0;
  constructor(private readonly toks: Tok[]) {}
  done(): boolean { return this.pos >= this.toks.length; }
  private peekOp(v: string): boolean { const t = this.toks[this.pos]; return !!t && t.t === "op" && t.v === v; }
  private take(v: string): void { if (!this.peekOp(v)) throw new UnsupportedRuby(`expected ${v}`); this.pos++; }

  expression(): Expr {
    const cond = this.or();
    if (!this.peekOp("?")) return cond;
    this.pos++;
    const a = this.expression();
    this.take(":");
    return { k: "ternary", cond, a, b: this.expression() };
  }
  private or(): Expr {
    let left = this.and();
    while (this.peekOp("||")) { this.pos++; left = { k: "or", a: left, b: this.and() }; }
    return left;
  }
  private and(): Expr {
    let left = this.not();
    while (this.peekOp("&&")) { this.pos++; left = { k: "and", a: left, b: this.not() }; }
    return left;
  }
  private not(): Expr {
    if (this.peekOp("!")) { this.pos++; return { k: "not", a: this.not() }; }
    const left = this.add();
    if (this.peekOp("==") || this.peekOp("!=")) {
      const op = (this.toks[this.pos++] as { v: string }).v;
      return { k: op === "==" ? "eq" : "ne", a: left, b: this.add() };
    }
    return left;
  }
  private add(): Expr {
    let left = this.postfix();
    while (this.peekOp("+")) { this.pos++; left = { k: "add", a: left, b: this.postfix() }; }
    return left;
  }
  private postfix(): Expr {
    let expr = this.primary();
    for (;;) {
      if (this.peekOp(".")) {
        this.pos++;
        const name = this.toks[this.pos++];
        if (!name || name.t !== "id") throw new UnsupportedRuby("method name");
        expr = { k: "call", recv: expr, name: name.v, args: this.args() };
        if (this.peekOp("{")) {
          this.pos++;
          const block = this.expression();
          this.take("}");
          expr = { ...expr, block };
        }
      } else if (this.peekOp("[")) {
        this.pos++;
        const arg = this.expression();
        this.take("]");
        expr = { k: "index", recv: expr, arg };
      } else return expr;
    }
  }
  /** `(a, b)` or a bare literal argument (`require "x"`); none otherwise. */
  private args(): Expr[] {
    const next = this.toks[this.pos];
    if (next && (next.t === "str" || next.t === "num")) return [this.expression()];
    if (!this.peekOp("(")) return [];
    this.pos++;
    const args: Expr[] = [];
    while (!this.peekOp(")")) {
      args.push(this.expression());
      if (!this.peekOp(")")) this.take(",");
    }
    this.pos++;
    return args;
  }
  private primary(): Expr {
    const tok = this.toks[this.pos++];
    if (!tok || tok.t === "nl") throw new UnsupportedRuby("expression expected");
    switch (tok.t) {
      case "str": return { k: "str", parts: tok.parts };
      case "cmd": return { k: "cmd", parts: tok.parts };
      case "num": return { k: "lit", v: Number(tok.v) };
      case "const": return { k: "const", path: tok.v };
      case "id":
        if (tok.v === "nil") return { k: "lit", v: null };
        if (tok.v === "true" || tok.v === "false") return { k: "lit", v: tok.v === "true" };
        if (this.peekOp("(") || this.toks[this.pos]?.t === "str") return { k: "call", recv: null, name: tok.v, args: this.args() };
        return { k: "var", name: tok.v };
      case "op":
        if (tok.v === "(") { const inner = this.expression(); this.take(")"); return inner; }
    }
    throw new UnsupportedRuby("unexpected token");
  }
}
