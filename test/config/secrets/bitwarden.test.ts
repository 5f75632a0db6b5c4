import { afterEach, describe, expect, test } from "bun:test";
import { FakeVaults } from "./fake-clis.ts";

const items = {
  mypassword: { object: "item", type: 1, name: "mypassword", login: { username: null, password: "secret123" } },
  myitem: {
    object: "item", type: 1, name: "myitem", login: { username: null, password: null },
    fields: [{ name: "field1", value: "secret1", type: 1 }, { name: "field2", value: "blam", type: 1 }],
  },
  mynote: { object: "item", type: 2, name: "mynote", notes: "NOTES", secureNote: { type: 0 } },
  mynotefields: { object: "item", type: 2, name: "mynotefields", fields: [{ name: "a", value: "1" }, { name: "b", value: "2" }] },
};
const EMAIL = "email@example.com";
let fake: FakeVaults;
afterEach(() => fake.cleanup());

describe("bitwarden adapter", () => {
  test("unlocked: status, sync, one `bw get item` per item", () => {
    fake = new FakeVaults({ bw: { email: EMAIL, status: "unlocked", items } });
    expect(fake.fetch("bitwarden", ["mypassword", "myitem/field1", "myitem/field2"], { account: EMAIL })).toEqual({
      mypassword: "secret123", "myitem/field1": "secret1", "myitem/field2": "blam",
    });
    expect(fake.calls()).toEqual(["bw --version", "bw status", "bw sync", "bw get item mypassword", "bw get item myitem"]);
  });

  test("unauthenticated: login, unlock --raw, then every call carries BW_SESSION", () => {
    fake = new FakeVaults({ bw: { email: EMAIL, status: "unauthenticated", session: "0987654321", items } });
    expect(fake.fetch("bitwarden", ["field1", "field2"], { account: EMAIL, from: "myitem" })).toEqual({ "myitem/field1": "secret1", "myitem/field2": "blam" });
    const calls = fake.rawCalls();
    expect(calls.map((c) => [c.cli, ...c.args].join(" "))).toEqual([
      "bw --version", "bw status", `bw login ${EMAIL}`, "bw status", "bw unlock --raw", "bw status", "bw sync", "bw get item myitem",
    ]);
    expect(calls.map((c) => c.env.BW_SESSION ?? "-")).toEqual(["-", "-", "-", "-", "-", "0987654321", "0987654321", "0987654321"]);
  });

  test("items without a login password return all their fields; without fields it is an error", () => {
    fake = new FakeVaults({ bw: { email: EMAIL, status: "unlocked", items } });
    expect(fake.fetch("bitwarden", ["mynotefields"], { account: EMAIL })).toEqual({ "mynotefields/a": "1", "mynotefields/b": "2" });
    expect(() => fake.fetch("bitwarden", ["mynote"], { account: EMAIL })).toThrow("Item mynote is not a login type item and no fields were specified");
    expect(() => fake.fetch("bitwarden", ["myitem/nope"], { account: EMAIL })).toThrow("Could not find field nope in item myitem in Bitwarden");
    expect(() => fake.fetch("bitwarden", ["missing"], { account: EMAIL })).toThrow("Could not read missing from Bitwarden");
  });

  test("wrong account cannot log in; CLI missing", () => {
    fake = new FakeVaults({ bw: { email: EMAIL, status: "unauthenticated", items } });
    expect(() => fake.fetch("bitwarden", ["mypassword"], { account: "other@example.com" })).toThrow("Failed to login to and unlock Bitwarden");
    expect(() => fake.fetch("bitwarden", ["mypassword"], { account: EMAIL, path: fake.dir })).toThrow("Bitwarden CLI is not installed");
  });
});
