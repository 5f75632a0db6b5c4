// The ERB subset of config files: Ruby semantics for the constructs real configs use, one-line errors otherwise.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigurationError } from "../../src/errors.ts";
import { ErbKeyError, renderErb } from "../../src/config/erb.ts";

const dir = mkdtempSync(join(tmpdir(), "kamal-erb-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function render(template: string, env: Record<string, string | undefined> = {}): string {
  return renderErb(template, { file: "config/deploy.yml", env, cwd: dir });
}

function errorOf(fn: () => unknown): Error {
  try { fn(); } catch (error) { return error as Error; }
  throw new Error("expected an error");
}

describe("ENV", () => {
  test("ENV[...] with either quote; a missing variable renders as nothing", () => {
    expect(render(`a: <%= ENV["A"] %>\nb: <%= ENV['A'] %>\nc: <%= ENV["NOPE"] %>`, { A: "x" })).toBe("a: x\nb: x\nc: ");
  });
  test("ENV.fetch with and without a default", () => {
    expect(render(`<%= ENV.fetch("A") %> <%= ENV.fetch('B', 'd') %> <%= ENV.fetch("C", 86400) %>`, { A: "x" })).toBe("x d 86400");
  });
  test("ENV.fetch of a missing variable is Ruby's KeyError", () => {
    const error = errorOf(() => render(`a: 1\nx: <%= ENV.fetch("MISSING") %>`));
    expect(error).toBeInstanceOf(ErbKeyError);
    expect(error).toBeInstanceOf(ConfigurationError);
    // Kamal's message first, then where and how to fix it.
    expect(error.message).toBe(
      'key not found: "MISSING" (ENV.fetch in config/deploy.yml:2; set MISSING in the environment or give ENV.fetch a default)',
    );
    expect((error as ErbKeyError).kind).toBe("KeyError");
  });
  test("|| falls back only for nil (an empty string is truthy in Ruby)", () => {
    expect(render(`<%= ENV["GITHUB_ACTOR"] || "shelfwise-llc" %>`)).toBe("shelfwise-llc");
    expect(render(`<%= ENV["E"] || "d" %>`, { E: "" })).toBe("");
    expect(render(`<%= ENV["E"].presence || "d" %>`, { E: " " })).toBe("d");
  });
  test("string literals, interpolation, comparisons", () => {
    expect(render(`<%= "a\\tb" %>|<%= 'c\\n' %>|<%= "#{ENV['A']}-#{1}" %>|<%= ENV["A"] == "x" %>|<%= !ENV["A"] %>`, { A: "x" }))
      .toBe("a\tb|c\\n|x-1|true|false");
  });
});

describe("operators and String/Array methods", () => {
  test("ternary, +, ENV.fetch with a block", () => {
    expect(render(`<%= ENV["A"] == "x" ? "yes" : "no" %> <%= ENV["A"] + ":" + "1" %> <%= ENV.fetch("B") { "blk" } %>`, { A: "x" }))
      .toBe("yes x:1 blk");
    expect(errorOf(() => render(`<%= "a" + ENV["B"] %>`)).message).toBe("config/deploy.yml:1: no implicit conversion of nil into String");
  });
  test("split gives an array; an array prints as Ruby's inspect, which YAML reads as a list", () => {
    expect(render(`hosts: <%= ENV["HOSTS"].split(",") %>`, { HOSTS: "a,b" })).toBe('hosts: ["a", "b"]');
    expect(render(`<%= ENV["HOSTS"].split(",").first %>|<%= ENV["HOSTS"].split(",").join(" ") %>|<%= "a b  c".split.size %>`, { HOSTS: "a,b" }))
      .toBe("a|a b|3");
    expect(render(`<%= ENV["V"].gsub(".", "-") %> <%= ENV["V"].sub(".", "_") %> <%= ENV["V"].start_with?("1") %>`, { V: "1.2.3" }))
      .toBe("1-2-3 1_2.3 true");
  });
});

describe("tags and trim mode", () => {
  test("comments vanish; <%% is a literal", () => {
    expect(render("a<%# a comment %>b <%% x %>")).toBe("ab <% x %>");
  });
  test("-%> swallows the newline, <%- the indentation; plain %> keeps the newline", () => {
    expect(render("a\n  <%- if true -%>\nb\n  <%- end -%>\nc\n")).toBe("a\nb\nc\n");
    expect(render("<% x = 1 %>\ny\n")).toBe("\ny\n");
  });
  test("if / elsif / else / unless across tags, nested", () => {
    const template = `<% if ENV["A"] %>A<% elsif ENV["B"] %>B<% else %>none<% end %>|<% unless ENV["A"] %>noA<% end %>`;
    expect(render(template, { A: "1" })).toBe("A|");
    expect(render(template, { B: "1" })).toBe("B|noA");
    expect(render(template)).toBe("none|noA");
    expect(render(`<% if true %><% if false %>x<% else %>y<% end %><% end %>`)).toBe("y");
  });
  test("the corpus' conditional ssh keys", () => {
    const template = `ssh:\n  user: app\n<% if ENV["KAMAL_SSH_KEY_PATH"] -%>\n  keys:\n    - <%= ENV["KAMAL_SSH_KEY_PATH"] %>\n<% end -%>\nvolumes: []\n`;
    expect(render(template, { KAMAL_SSH_KEY_PATH: "/k" })).toBe("ssh:\n  user: app\n  keys:\n    - /k\nvolumes: []\n");
    expect(render(template)).toBe("ssh:\n  user: app\nvolumes: []\n");
  });
  test("local variables and multi-line code blocks", () => {
    const template = `<%\nrequire "uri"\napp_uri = URI.parse(ENV.fetch("APP_BASE_URL"))\n%>\nhost: <%= app_uri.host %>\nssl: <%= app_uri.scheme == "https" %>\nport: <%= app_uri.port %>`;
    expect(render(template, { APP_BASE_URL: "https://app.example.com/x" })).toBe("\nhost: app.example.com\nssl: true\nport: 443");
  });
});

describe("files, commands and dotenv", () => {
  test("backticks and %x() run in the project directory and keep the output exactly", () => {
    writeFileSync(join(dir, "pw.sh"), "#!/bin/sh\nprintf secret\n", { mode: 0o755 });
    expect(render("a: <%= `echo hi` %>|")).toBe("a: hi\n|");
    expect(render("b: <%= `pwd`.strip %>")).toBe(`b: ${dir}`);
    expect(render("c: <%= %x(./pw.sh) %>")).toBe("c: secret");
    expect(render('d: <%= `echo #{ENV["A"]}`.chomp %>', { A: "interpolated" })).toBe("d: interpolated");
    expect(render("e: <%= `echo $FROM_ENV`.strip %>", { FROM_ENV: "env-seen", PATH: process.env.PATH })).toBe("e: env-seen");
  });
  test("File.read relative to the project directory", () => {
    writeFileSync(join(dir, ".ruby-version"), "3.4.1\n");
    expect(render("v: <%= File.read('.ruby-version').strip %>")).toBe("v: 3.4.1");
    expect(render("<%= File.exist?('.ruby-version') %> <%= File.exist?('nope') %>")).toBe("true false");
    expect(errorOf(() => render("\n\nv: <%= File.read('.node-version') %>")).message)
      .toBe("config/deploy.yml:3: No such file or directory @ rb_sysopen - .node-version");
  });
  test("Dotenv.load sets variables that are not set yet; a missing file is skipped", () => {
    writeFileSync(join(dir, ".env.test"), "HOST=from-file\nKEEP=from-file\nexport QUOTED=\"a b\"\n");
    const env: Record<string, string | undefined> = { KEEP: "from-env" };
    const out = render(`<% require "dotenv"; Dotenv.load(".env.test") %>\n<%= ENV["HOST"] %> <%= ENV["KEEP"] %> <%= ENV["QUOTED"] %>`, env);
    expect(out).toBe("\nfrom-file from-env a b");
    expect(env.HOST).toBe("from-file");
    expect(render(`<% begin; require "dotenv"; Dotenv.load(".env.missing"); rescue LoadError; end %>ok`)).toBe("ok");
  });
});

describe("unsupported Ruby", () => {
  test("one line naming file, line and the expression", () => {
    const error = errorOf(() => render("service: app\n\nx: <%= Kamal::Configuration.new.foo %>\n"));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toBe("config/deploy.yml:3: unsupported ERB expression <%= Kamal::Configuration.new.foo %> "
      + "(supported: ENV[...], ENV.fetch(...), string literals, backticks, File.read, Dotenv.load, URI.parse, if/else/end)");
    expect(error.message.split("\n")).toHaveLength(1);
  });
  test("unknown methods and local variables are unsupported too", () => {
    expect(errorOf(() => render(`<%= ENV["A"].reverse %>`, { A: "x" })).message).toContain("unsupported ERB expression <%= ENV[\"A\"].reverse %>");
    expect(errorOf(() => render(`<%= app_uri.host %>`)).message).toContain("config/deploy.yml:1: unsupported ERB expression");
    expect(errorOf(() => render(`<% 3.times do %>x<% end %>`)).message).toContain("unsupported ERB expression <% 3.times do %>");
  });
  test("unclosed blocks and tags", () => {
    expect(errorOf(() => render(`<% if true %>x`)).message).toBe("config/deploy.yml: ERB block not closed (missing <% end %>)");
    expect(errorOf(() => render(`a\n<%= ENV["A"]`)).message).toBe('config/deploy.yml:2: unterminated ERB tag <%= ENV["A"]');
  });
});
