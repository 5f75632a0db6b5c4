import { afterEach, describe, expect, test } from "bun:test";
import { FakeVaults } from "./fake-clis.ts";

const vaults = {
  myvault: {
    myitem: { fields: [
      { section: "section", label: "SECRET1", value: "VALUE1" },
      { section: "section", label: "SECRET2", value: "VALUE2" },
      { section: "section2", label: "SECRET3", value: "VALUE3" },
      { label: "password", value: "pw!" },
    ] },
    myitem2: { fields: [{ section: "section2", label: "SECRET3", value: "VALUE4" }] },
  },
};
let fake: FakeVaults;
afterEach(() => fake.cleanup());

describe("1password adapter", () => {
  test("signed in: one `op item get` per item with label fields", () => {
    fake = new FakeVaults({ op: { accounts: ["myaccount"], signedIn: true, vaults } });
    const result = fake.fetch("1password", ["section/SECRET1", "section/SECRET2", "section2/SECRET3"], { account: "myaccount", from: "op://myvault/myitem" });
    expect(result).toEqual({
      "myvault/myitem/section/SECRET1": "VALUE1", "myvault/myitem/section/SECRET2": "VALUE2", "myvault/myitem/section2/SECRET3": "VALUE3",
    });
    expect(fake.calls()).toEqual([
      "op --version",
      "op account get --account myaccount",
      "op item get myitem --vault myvault --format json --account myaccount --fields label=section.SECRET1,label=section.SECRET2,label=section2.SECRET3",
    ]);
  });

  test("several items; a single field comes back as an object; the default field is password", () => {
    fake = new FakeVaults({ op: { accounts: ["myaccount"], signedIn: true, vaults } });
    const result = fake.fetch("1password", ["myitem/section/SECRET1", "myitem2/section2/SECRET3", "myitem"], { account: "myaccount", from: "op://myvault" });
    expect(result).toEqual({ "myvault/myitem/section/SECRET1": "VALUE1", "myvault/myitem": "pw!", "myvault/myitem2/section2/SECRET3": "VALUE4" });
    expect(fake.calls().slice(2)).toEqual([
      "op item get myitem --vault myvault --format json --account myaccount --fields label=section.SECRET1,label=password",
      "op item get myitem2 --vault myvault --format json --account myaccount --fields label=section2.SECRET3",
    ]);
  });

  test("no secrets listed: every field of --from vault/item", () => {
    fake = new FakeVaults({ op: { accounts: ["myaccount"], signedIn: true, vaults } });
    const result = fake.fetch("1password", [], { account: "myaccount", from: "op://myvault/myitem2" });
    expect(result).toEqual({ "myvault/myitem2/section2/SECRET3": "VALUE4" });
    expect(fake.calls()[2]).toBe("op item get myitem2 --vault myvault --format json --account myaccount");
  });

  test("not signed in: `op signin --force --raw`, then the session is passed on", () => {
    fake = new FakeVaults({ op: { accounts: ["myaccount"], signedIn: false, session: "1234567890", vaults } });
    const result = fake.fetch("1password", ["section/SECRET1"], { account: "myaccount", from: "myvault/myitem" });
    expect(result).toEqual({ "myvault/myitem/section/SECRET1": "VALUE1" });
    expect(fake.calls().slice(1)).toEqual([
      "op account get --account myaccount",
      "op signin --account myaccount --force --raw",
      "op item get myitem --vault myvault --format json --account myaccount --session 1234567890 --fields label=section.SECRET1",
    ]);
  });

  test("errors: sign-in failure, unreadable field, CLI missing", () => {
    fake = new FakeVaults({ op: { accounts: ["myaccount"], signedIn: false, signinFails: true, vaults } });
    expect(() => fake.fetch("1password", ["x"], { account: "myaccount", from: "myvault/myitem" })).toThrow("Failed to login to 1Password");
    fake.cleanup();
    fake = new FakeVaults({ op: { accounts: ["myaccount"], signedIn: true, vaults } });
    expect(() => fake.fetch("1password", ["section/NOPE", "section/SECRET1"], { account: "myaccount", from: "myvault/myitem" }))
      .toThrow("Could not read section.NOPE, section.SECRET1 from myitem in the myvault 1Password vault");
    expect(() => fake.fetch("1password", ["x"], { account: "myaccount", from: "v/i", path: fake.dir })).toThrow("1Password CLI is not installed");
  });
});
