// Error pages for proxy-generated errors (kamal-proxy §2.10): a custom directory of `<status>.html` templates
// (`--error-pages`), then our built-in pages, then a generic `<h1>418 I'm a teapot</h1>`. Always text/html.
// Templates understand the subset of Go html/template that error pages use: `{{ .Message }}` (HTML-escaped),
// `{{ if .Message }}…{{ else }}…{{ end }}`, comments `{{/* … */}}` and the `{{-`/`-}}` trim markers.
import { readdir, readFile } from "node:fs/promises";
import { STATUS_CODES } from "node:http";
import { join } from "node:path";
import { builtInPageSource } from "./error-pages-builtin.ts";

export interface ErrorPageArgs {
  /** The stop message of a stopped service (`kamal-proxy stop --message`), shown by 503 pages. */
  message?: string;
}

export class ErrorPagesLoadError extends Error {
  constructor(readonly detail: string) {
    super("unable to load error pages");
    this.name = "ErrorPagesLoadError";
  }
}

export const ERROR_PAGE_CONTENT_TYPE = "text/html; charset=utf-8";

type Node =
  | { kind: "text"; text: string }
  | { kind: "message" }
  | { kind: "if"; then: Node[]; otherwise: Node[] };

export type ErrorPageTemplate = Node[];

/** Parses a template; throws an Error naming the problem for anything outside the supported subset. */
export function parseErrorPageTemplate(source: string): ErrorPageTemplate {
  const tokens = tokenize(source);
  let index = 0;
  const parseList = (closers: string[]): { nodes: Node[]; closer: string | undefined } => {
    const nodes: Node[] = [];
    while (index < tokens.length) {
      const token = tokens[index++];
      if (token.kind === "text") { nodes.push({ kind: "text", text: token.text }); continue; }
      const action = token.action;
      if (action === "" || action.startsWith("/*")) continue;
      if (action === ".Message") { nodes.push({ kind: "message" }); continue; }
      if (action === "if .Message") {
        const then = parseList(["else", "end"]);
        let otherwise: Node[] = [];
        if (then.closer === "else") otherwise = parseList(["end"]).nodes;
        else if (then.closer !== "end") throw new Error("unclosed {{ if }}");
        nodes.push({ kind: "if", then: then.nodes, otherwise });
        continue;
      }
      if (closers.includes(action)) return { nodes, closer: action };
      throw new Error(`unsupported template action {{ ${action} }}`);
    }
    if (closers.length > 0) throw new Error("unclosed {{ if }}");
    return { nodes, closer: undefined };
  };
  const { nodes } = parseList([]);
  return nodes;
}

type Token = { kind: "text"; text: string } | { kind: "action"; action: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  while (position < source.length) {
    const open = source.indexOf("{{", position);
    if (open < 0) { tokens.push({ kind: "text", text: source.slice(position) }); break; }
    let text = source.slice(position, open);
    const close = source.indexOf("}}", open + 2);
    if (close < 0) throw new Error("unclosed action {{");
    let inner = source.slice(open + 2, close);
    position = close + 2;
    if (inner.startsWith("- ") || inner === "-") { text = text.trimEnd(); inner = inner.slice(1); }
    let trimAfter = false;
    if (inner.endsWith(" -")) { trimAfter = true; inner = inner.slice(0, -1); }
    if (text) tokens.push({ kind: "text", text });
    tokens.push({ kind: "action", action: inner.trim().replace(/\s+/g, " ") });
    if (trimAfter) while (position < source.length && /\s/.test(source[position])) position++;
  }
  return tokens;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'\0]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;", "\0": "\uFFFD" })[c]!);
}

export function renderErrorPageTemplate(template: ErrorPageTemplate, args: ErrorPageArgs): string {
  let out = "";
  for (const node of template) {
    if (node.kind === "text") out += node.text;
    else if (node.kind === "message") out += escapeHtml(args.message ?? "");
    else out += renderErrorPageTemplate(args.message ? node.then : node.otherwise, args);
  }
  return out;
}

/** A set of pages keyed by status code. */
export class ErrorPageSet {
  constructor(private readonly pages: ReadonlyMap<number, ErrorPageTemplate>) {}

  has(status: number): boolean {
    return this.pages.has(status);
  }

  render(status: number, args: ErrorPageArgs = {}): string | undefined {
    const page = this.pages.get(status);
    return page ? renderErrorPageTemplate(page, args) : undefined;
  }

  statuses(): number[] {
    return [...this.pages.keys()].sort((a, b) => a - b);
  }
}

/** Our built-in pages: 404, 413, 502, 503 (with message), 504. */
export function builtInErrorPages(): ErrorPageSet {
  const pages = new Map<number, ErrorPageTemplate>();
  for (const status of [404, 413, 502, 503, 504]) pages.set(status, parseErrorPageTemplate(builtInPageSource(status)));
  return new ErrorPageSet(pages);
}

/**
 * Loads `*.html` from a custom error-pages directory (`--error-pages`). Files named `<status>.html` serve that
 * status. Throws ErrorPagesLoadError ("unable to load error pages") when the directory cannot be read, holds no
 * `.html` file, or a template does not parse — kamal-proxy then refuses the deploy.
 */
export async function loadErrorPages(dir: string): Promise<ErrorPageSet> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && e.name.endsWith(".html")).map((e) => e.name);
  } catch (error) {
    throw new ErrorPagesLoadError(`cannot read ${dir}: ${(error as Error).message}`);
  }
  if (names.length === 0) throw new ErrorPagesLoadError(`no .html files in ${dir}`);
  const pages = new Map<number, ErrorPageTemplate>();
  for (const name of names) {
    let template: ErrorPageTemplate;
    try {
      template = parseErrorPageTemplate(await readFile(join(dir, name), "utf8"));
    } catch (error) {
      throw new ErrorPagesLoadError(`${join(dir, name)}: ${(error as Error).message}`);
    }
    const status = /^(\d{3})\.html$/.exec(name);
    if (status) pages.set(Number(status[1]), template);
  }
  return new ErrorPageSet(pages);
}

/** Go's http.StatusText wording where it differs from Node's table. */
const GO_STATUS_TEXT: Record<number, string> = { 413: "Request Entity Too Large", 418: "I'm a teapot", 499: "Client Closed Request" };

export function statusText(status: number): string {
  return GO_STATUS_TEXT[status] ?? STATUS_CODES[status] ?? "";
}

/** The page body for a proxy-generated error: first set that has the status wins, else `<h1>N Text</h1>`. */
export function renderErrorPage(status: number, args: ErrorPageArgs, sets: readonly ErrorPageSet[]): string {
  for (const set of sets) {
    const body = set.render(status, args);
    if (body !== undefined) return body;
  }
  return `<h1>${status} ${statusText(status)}</h1>`;
}

/**
 * The full response for a proxy-generated error. `sets` in priority order: the service's custom pages (if any),
 * then builtInErrorPages(). kamal-proxy always answers HTML, whatever the request's Accept header says.
 */
export function errorPageResponse(status: number, args: ErrorPageArgs, sets: readonly ErrorPageSet[], method = "GET"): Response {
  const body = renderErrorPage(status, args, sets);
  const headers = { "content-type": ERROR_PAGE_CONTENT_TYPE };
  return new Response(method === "HEAD" ? null : body, { status, headers });
}
