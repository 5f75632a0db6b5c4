import { afterEach, describe, expect, test } from "bun:test";
import { FakeVaults } from "./fake-clis.ts";

const vault = [
  { title: "FooBar", label: "SECRET_1", password: "my-password-1" },
  { title: "FooBar", label: "SECRET_2", password: "my-password-2" },
  { title: "Hello", label: "SECRET_3", password: "my-password-1" },
  { title: "FooBar", label: "", password: "my-password-3" },
  { title: "FooBar", label: "EMPTY", password: "" },
  { title: "Twice", label: "X", password: "a" },
  { title: "Twice", label: "X", password: "b" },
];
let fake: FakeVaults;
afterEach(() => fake.cleanup());

describe("enpass adapter", () => {
  test("Title/LABEL picks one password; Title alone takes all of the item's", () => {
    fake = new FakeVaults({ "enpass-cli": { vaults: { "vault-path": vault } } });
    expect(fake.fetch("enpass", ["FooBar/SECRET_1", "FooBar/SECRET_2"], { from: "vault-path" })).toEqual({
      "FooBar/SECRET_1": "my-password-1", "FooBar/SECRET_2": "my-password-2",
    });
    expect(fake.fetch("enpass", ["FooBar"], { from: "vault-path" })).toEqual({
      "FooBar/SECRET_1": "my-password-1", "FooBar/SECRET_2": "my-password-2", FooBar: "my-password-3",
    });
    expect(fake.calls()).toEqual([
      "enpass-cli version", "enpass-cli -json -vault vault-path show FooBar",
      "enpass-cli version", "enpass-cli -json -vault vault-path show FooBar",
    ]);
  });

  test("duplicates, missing vault, CLI missing", () => {
    fake = new FakeVaults({ "enpass-cli": { vaults: { "vault-path": vault } } });
    expect(() => fake.fetch("enpass", ["Twice"], { from: "vault-path" })).toThrow("Twice/X is present more than once");
    expect(() => fake.fetch("enpass", ["FooBar"], { from: "elsewhere" })).toThrow('Could not read ["FooBar"] from Enpass');
    expect(() => fake.fetch("enpass", ["FooBar"], { from: "vault-path", path: fake.dir })).toThrow("Enpass CLI is not installed");
  });
});
