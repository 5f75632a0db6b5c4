import { expect, test } from "bun:test";
import { invokedAs } from "../../src/cli/invoked-as.ts";

test("compiled binary: argv0 is the invoked name, argv[1] the bundled entry", () => {
  expect(invokedAs("./kamal-proxy", "/$bunfs/root/kamal")).toBe("kamal-proxy");
  expect(invokedAs("kamal-proxy", "/$bunfs/root/kamal")).toBe("kamal-proxy");
  expect(invokedAs("/usr/local/bin/kamal-proxy", "/$bunfs/root/kamal")).toBe("kamal-proxy");
  expect(invokedAs("./kamal", "/$bunfs/root/kamal")).toBe("kamal");
  expect(invokedAs("/opt/kamal-proxy-tools/kamal", "/$bunfs/root/kamal")).toBe("kamal");
  // A binary built as kamal-proxy but started through a `kamal` symlink is kamal.
  expect(invokedAs("kamal", "/$bunfs/root/kamal-proxy")).toBe("kamal");
  expect(invokedAs("./kamal-proxy", "/$bunfs/root/kamal-proxy")).toBe("kamal-proxy");
});

test("from source: the script path decides", () => {
  expect(invokedAs("bun", "/work/src/main.ts")).toBe("kamal");
  expect(invokedAs("/usr/bin/deno", "/usr/local/bin/kamal-proxy")).toBe("kamal-proxy");
});
