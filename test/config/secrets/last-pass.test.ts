import { afterEach, describe, expect, test } from "bun:test";
import { FakeVaults } from "./fake-clis.ts";

const EMAIL = "email@example.com";
const entries = [
  { fullname: "SECRET1", password: "secret1" },
  { fullname: "FOLDER1/FSECRET1", password: "fsecret1" },
  { fullname: "FOLDER1/FSECRET2", password: "fsecret2" },
];
let fake: FakeVaults;
afterEach(() => fake.cleanup());

describe("lastpass adapter", () => {
  test("logged in: one `lpass show ... --json`, keyed by full name; --from prefixes", () => {
    fake = new FakeVaults({ lpass: { email: EMAIL, loggedIn: true, entries } });
    expect(fake.fetch("lastpass", ["SECRET1", "FOLDER1/FSECRET1"], { account: EMAIL })).toEqual({ SECRET1: "secret1", "FOLDER1/FSECRET1": "fsecret1" });
    expect(fake.fetch("lastpass", ["FSECRET1", "FSECRET2"], { account: EMAIL, from: "FOLDER1" })).toEqual({ "FOLDER1/FSECRET1": "fsecret1", "FOLDER1/FSECRET2": "fsecret2" });
    expect(fake.calls()).toEqual([
      "lpass --version", "lpass status --color never", "lpass show SECRET1 FOLDER1/FSECRET1 --json",
      "lpass --version", "lpass status --color never", "lpass show FOLDER1/FSECRET1 FOLDER1/FSECRET2 --json",
    ]);
  });

  test("not logged in: lpass login <account>", () => {
    fake = new FakeVaults({ lpass: { email: EMAIL, loggedIn: false, entries } });
    expect(fake.fetch("lastpass", ["SECRET1"], { account: EMAIL })).toEqual({ SECRET1: "secret1" });
    expect(fake.calls()).toEqual(["lpass --version", "lpass status --color never", `lpass login ${EMAIL}`, "lpass show SECRET1 --json"]);
  });

  test("errors", () => {
    fake = new FakeVaults({ lpass: { email: EMAIL, loggedIn: false, loginFails: true, entries } });
    expect(() => fake.fetch("lastpass", ["SECRET1"], { account: EMAIL })).toThrow("Failed to login to LastPass");
    fake.cleanup();
    fake = new FakeVaults({ lpass: { email: EMAIL, loggedIn: true, entries } });
    expect(() => fake.fetch("lastpass", ["SECRET1", "NOPE"], { account: EMAIL })).toThrow('Could not read ["SECRET1", "NOPE"] from LastPass');
    expect(() => fake.fetch("lastpass", ["SECRET1"], { account: EMAIL, path: fake.dir })).toThrow("LastPass CLI is not installed");
  });
});
