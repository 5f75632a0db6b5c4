import { afterEach, describe, expect, test } from "bun:test";
import { FakeVaults } from "./fake-clis.ts";

const projects = { "my-project": { prd: { SECRET1: "secret1", FSECRET1: "fsecret1" } } };
let fake: FakeVaults;
afterEach(() => fake.cleanup());

describe("doppler adapter", () => {
  test("--from project/config becomes -p/-c; keys are bare names", () => {
    fake = new FakeVaults({ doppler: { loggedIn: true, projects } });
    expect(fake.fetch("doppler", ["SECRET1", "FSECRET1"], { from: "my-project/prd" })).toEqual({ SECRET1: "secret1", FSECRET1: "fsecret1" });
    expect(fake.fetch("doppler", ["my-project/prd/SECRET1"])).toEqual({ SECRET1: "secret1" });
    expect(fake.calls()).toEqual([
      "doppler --version", "doppler me --json", "doppler secrets get SECRET1 FSECRET1 --json -p my-project -c prd",
      "doppler --version", "doppler me --json", "doppler secrets get SECRET1 --json -p my-project -c prd",
    ]);
  });

  test("a service token (dp.st...) needs no project/config", () => {
    fake = new FakeVaults({ doppler: { serviceTokens: { "dp.st.xxxx": "my-project/prd" }, projects } }, { DOPPLER_TOKEN: "dp.st.xxxx" });
    expect(fake.fetch("doppler", ["SECRET1"])).toEqual({ SECRET1: "secret1" });
    expect(fake.calls()[2]).toBe("doppler secrets get SECRET1 --json");
  });

  test("not logged in: doppler login -y", () => {
    fake = new FakeVaults({ doppler: { loggedIn: false, projects } });
    expect(fake.fetch("doppler", ["SECRET1"], { from: "my-project/prd" })).toEqual({ SECRET1: "secret1" });
    expect(fake.calls().slice(1, 3)).toEqual(["doppler me --json", "doppler login -y"]);
  });

  test("errors", () => {
    fake = new FakeVaults({ doppler: { loggedIn: true, projects } });
    expect(() => fake.fetch("doppler", ["FSECRET1"])).toThrow("Missing project or config from '--from=project/config' option");
    expect(() => fake.fetch("doppler", ["NOPE"], { from: "my-project/prd" })).toThrow('Could not read ["my-project/prd/NOPE"] from Doppler');
    expect(() => fake.fetch("doppler", ["X"], { from: "a/b", path: fake.dir })).toThrow("Doppler CLI is not installed");
  });
});
