import { afterEach, describe, expect, test } from "bun:test";
import { FakeVaults } from "./fake-clis.ts";

const P = "dcbe0e39-42d8-42db-9637-8256b9f2f8e3";
const O = "14e11dd8-b279-4689-8bd9-fa33ebb527da";
const S = "6a3f21fc-aa40-4ba9-852c-7477fdd0310d";
const state = {
  passbolt: {
    configured: true,
    folders: [
      { id: P, folder_parent_id: "", name: "my-project" },
      { id: O, folder_parent_id: "", name: "other-project" },
      { id: S, folder_parent_id: P, name: "subfolder" },
    ],
    resources: [
      { id: "r1", folder_parent_id: "", name: "ROOT1", password: "root-secret1" },
      { id: "r2", folder_parent_id: P, name: "SECRET1", password: "secret1" },
      { id: "r3", folder_parent_id: P, name: "FSECRET1", password: "fsecret1" },
      { id: "r4", folder_parent_id: O, name: "FSECRET2", password: "fsecret2" },
      { id: "r5", folder_parent_id: S, name: "DEEP", password: "deep" },
    ],
  },
};
let fake: FakeVaults;
afterEach(() => fake.cleanup());

describe("passbolt adapter", () => {
  test("root level names", () => {
    fake = new FakeVaults(state);
    expect(fake.fetch("passbolt", ["ROOT1"])).toEqual({ ROOT1: "root-secret1" });
    expect(fake.rawCalls().map((c) => c.args)).toEqual([
      ["--version"], ["verify"],
      ["list", "resources", "--filter", 'Name == "ROOT1"', "--column", "name", "--column", "password", "--json"],
    ]);
  });

  test("folders from --from and from the secret, several folders", () => {
    fake = new FakeVaults(state);
    expect(fake.fetch("passbolt", ["my-project/SECRET1", "my-project/FSECRET1", "other-project/FSECRET2"])).toEqual({
      SECRET1: "secret1", FSECRET1: "fsecret1", FSECRET2: "fsecret2",
    });
    expect(fake.rawCalls().slice(2).map((c) => c.args)).toEqual([
      ["list", "folders", "--filter", 'Name == "my-project" || Name == "other-project"', "--json"],
      ["list", "resources", "--filter",
        `(Name == "SECRET1" && FolderParentID == "${P}") || (Name == "FSECRET1" && FolderParentID == "${P}") || (Name == "FSECRET2" && FolderParentID == "${O}")`,
        "--folder", P, "--folder", O, "--column", "name", "--column", "password", "--json"],
    ]);
  });

  test("nested folders", () => {
    fake = new FakeVaults(state);
    expect(fake.fetch("passbolt", ["DEEP"], { from: "my-project/subfolder" })).toEqual({ DEEP: "deep" });
    expect(fake.rawCalls().slice(2).map((c) => c.args)).toEqual([
      ["list", "folders", "--filter", 'Name == "my-project"', "--json"],
      ["list", "folders", "--filter", `Name == "subfolder" && FolderParentID == "${P}"`, "--json"],
      ["list", "resources", "--filter", `(Name == "DEEP" && FolderParentID == "${S}")`,
        "--folder", P, "--folder", S, "--column", "name", "--column", "password", "--json"],
    ]);
  });

  test("errors", () => {
    fake = new FakeVaults(state);
    expect(() => fake.fetch("passbolt", ["NOPE", "ROOT1"])).toThrow("Could not find the following secrets in Passbolt: NOPE");
    expect(() => fake.fetch("passbolt", ["nowhere/X"])).toThrow("Could not find the following folders in Passbolt: nowhere");
    expect(() => fake.fetch("passbolt", [])).toThrow("No secrets given to fetch");
    expect(() => fake.fetch("passbolt", ["X"], { path: fake.dir })).toThrow("Passbolt CLI is not installed");
    fake.cleanup();
    fake = new FakeVaults({ passbolt: { ...state.passbolt, configured: false } });
    expect(() => fake.fetch("passbolt", ["SECRET1"])).toThrow("Failed to login to Passbolt");
  });
});
