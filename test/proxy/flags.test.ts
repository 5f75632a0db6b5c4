import { expect, test } from "bun:test";
import { parseFlags, type FlagSpec } from "../../src/proxy/cli/flags.ts";

const specs: FlagSpec[] = [
  { name: "host", kind: "strings", default: [], usage: "" },
  { name: "tls", kind: "bool", default: false, usage: "" },
  { name: "port", kind: "int", default: 0, usage: "" },
  { name: "timeout", kind: "duration", default: 30e9, usage: "" },
  { name: "name", kind: "string", default: "", usage: "" },
];

test("pflag syntax: =value, separate value, bare bools, CSV lists appended, positional args", () => {
  const p = parseFlags(specs, ["svc", "--host", "a,b", "--host=c", "--tls", "--port=8", "--timeout", "1m", "--name", "x"]);
  expect(p.args).toEqual(["svc"]);
  expect(p.values.get("host")).toEqual(["a", "b", "c"]);
  expect(p.values.get("tls")).toBe(true);
  expect(p.values.get("port")).toBe(8);
  expect(p.values.get("timeout")).toBe(60e9);
  expect([...p.changed].sort()).toEqual(["host", "name", "port", "timeout", "tls"]);
  expect(parseFlags(specs, ["--tls=false"]).values.get("tls")).toBe(false);
  expect(parseFlags(specs, ["--", "--tls"]).args).toEqual(["--tls"]);
  expect(parseFlags(specs, ["-h"]).help).toBe(true);
});

test("errors", () => {
  expect(() => parseFlags(specs, ["--nope"])).toThrow("unknown flag: --nope");
  expect(() => parseFlags(specs, ["--name"])).toThrow("flag needs an argument: --name");
  expect(() => parseFlags(specs, ["--tls=maybe"])).toThrow('invalid argument "maybe" for "--tls" flag: strconv.ParseBool: parsing "maybe": invalid syntax');
  expect(() => parseFlags(specs, ["-x"])).toThrow("unknown shorthand flag: 'x' in -x");
});
