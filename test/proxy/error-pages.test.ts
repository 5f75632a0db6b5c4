import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ERROR_PAGE_CONTENT_TYPE, ErrorPagesLoadError, builtInErrorPages, errorPageResponse, loadErrorPages, parseErrorPageTemplate,
  renderErrorPage, renderErrorPageTemplate,
} from "../../src/proxy/error-pages.ts";

let root: string;
beforeAll(() => { root = mkdtempSync(join(tmpdir(), "error-pages-test-")); });
afterAll(() => rmSync(root, { recursive: true, force: true }));

function dirWith(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
  return dir;
}

describe("built-in pages", () => {
  const builtIn = builtInErrorPages();

  test("cover the statuses kamal-proxy has pages for, with its titles", () => {
    expect(builtIn.statuses()).toEqual([404, 413, 502, 503, 504]);
    expect(builtIn.render(404)).toContain("<title>404 — Not Found</title>");
    expect(builtIn.render(413)).toContain("<title>413 — Content Too Large</title>");
    expect(builtIn.render(502)).toContain("<title>502 — Bad Gateway</title>");
    expect(builtIn.render(503)).toContain("<title>503 — Service Temporarily Unavailable</title>");
    expect(builtIn.render(504)).toContain("<title>504 — Gateway Timeout</title>");
  });

  test("503 shows the stop message HTML-escaped, or the default text", () => {
    expect(builtIn.render(503, { message: "Gone to lunch" })).toContain("<p>Gone to lunch</p>");
    expect(builtIn.render(503, { message: "<b>back</b> & soon" })).toContain("<p>&lt;b&gt;back&lt;/b&gt; &amp; soon</p>");
    expect(builtIn.render(503)).toContain("temporarily unavailable");
  });

  test("statuses without a page get the generic heading with Go's status text", () => {
    expect(renderErrorPage(418, {}, [builtIn])).toBe("<h1>418 I'm a teapot</h1>");
    expect(renderErrorPage(400, {}, [builtIn])).toBe("<h1>400 Bad Request</h1>");
    expect(renderErrorPage(500, {}, [builtIn])).toBe("<h1>500 Internal Server Error</h1>");
  });
});

describe("custom pages", () => {
  test("custom page first, then built-in, then generic (nesting)", async () => {
    const custom = await loadErrorPages(dirWith("nesting", {
      "404.html": "<h1>Custom 404</h1>",
      "README.txt": "ignored",
    }));
    const sets = [custom, builtInErrorPages()];
    expect(renderErrorPage(404, {}, sets)).toBe("<h1>Custom 404</h1>");
    expect(renderErrorPage(503, { message: "Back in 15 mins!" }, sets)).toContain("<p>Back in 15 mins!</p>");
    expect(renderErrorPage(418, {}, sets)).toBe("<h1>418 I'm a teapot</h1>");
  });

  test("Kamal's maintenance page renders {{ .Message }}", async () => {
    const custom = await loadErrorPages(dirWith("kamal", { "503.html": "Custom Maintenance Page: {{ .Message }}\n", "4xx.html": "x" }));
    expect(custom.render(503, { message: "Hello" })).toBe("Custom Maintenance Page: Hello\n");
    expect(custom.statuses()).toEqual([503]);
  });

  test("a directory without .html, a missing directory, or a broken template cannot be loaded", async () => {
    for (const dir of [dirWith("empty", { "notes.txt": "x" }), join(root, "missing"), dirWith("broken", { "500.html": "{{ if .Message }}oops" })]) {
      const loading = loadErrorPages(dir);
      await expect(loading).rejects.toBeInstanceOf(ErrorPagesLoadError);
      await expect(loading).rejects.toThrow("unable to load error pages");
    }
  });
});

describe("template subset", () => {
  test("if/else, comments, trim markers", () => {
    const t = parseErrorPageTemplate("A {{/* note */}}{{- if .Message -}}  [{{ .Message }}]  {{- else -}} none {{- end }} Z");
    expect(renderErrorPageTemplate(t, { message: "m" })).toBe("A [m] Z");
    expect(renderErrorPageTemplate(t, {})).toBe("A none Z");
  });

  test("unsupported actions and unclosed blocks are errors", () => {
    expect(() => parseErrorPageTemplate("{{ .Other }}")).toThrow("unsupported template action");
    expect(() => parseErrorPageTemplate("{{ .Message ")).toThrow("unclosed action");
    expect(() => parseErrorPageTemplate("{{ end }}")).toThrow("unsupported template action");
  });
});

describe("errorPageResponse", () => {
  test("is HTML with the status, whatever the client accepts; HEAD has no body", async () => {
    const res = errorPageResponse(502, {}, [builtInErrorPages()]);
    expect(res.status).toBe(502);
    expect(res.headers.get("content-type")).toBe(ERROR_PAGE_CONTENT_TYPE);
    expect(await res.text()).toContain("Bad Gateway");
    const head = errorPageResponse(404, {}, [builtInErrorPages()], "HEAD");
    expect(await head.text()).toBe("");
  });
});
