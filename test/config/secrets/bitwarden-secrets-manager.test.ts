import { afterEach, describe, expect, test } from "bun:test";
import { FakeVaults } from "./fake-clis.ts";

const PROJECT = "82aeb5bd-6958-4a89-8197-eacab758acce";
const state = {
  bws: {
    token: "0.token",
    projects: [{ id: PROJECT, name: "app" }],
    secrets: [
      { id: "11111111-0000-0000-0000-000000000001", projectId: PROJECT, key: "KAMAL_REGISTRY_PASSWORD", value: "some_password" },
      { id: "11111111-0000-0000-0000-000000000002", projectId: PROJECT, key: "MY_OTHER_SECRET", value: 'my=wierd"secret' },
      { id: "11111111-0000-0000-0000-000000000003", projectId: "other", key: "SSH_PRIVATE_KEY", value: "some_key\nwith_linebreak" },
    ],
  },
};
let fake: FakeVaults;
afterEach(() => fake.cleanup());

describe("bitwarden-sm adapter", () => {
  test("all, <project>/all and ids", () => {
    fake = new FakeVaults(state, { BWS_ACCESS_TOKEN: "0.token" });
    expect(Object.keys(fake.fetch("bitwarden-sm", ["all"]))).toEqual(["KAMAL_REGISTRY_PASSWORD", "MY_OTHER_SECRET", "SSH_PRIVATE_KEY"]);
    expect(fake.fetch("bitwarden-sm", ["all"], { from: PROJECT })).toEqual({ KAMAL_REGISTRY_PASSWORD: "some_password", MY_OTHER_SECRET: 'my=wierd"secret' });
    expect(fake.fetch("bitwarden-sm", ["11111111-0000-0000-0000-000000000002", "11111111-0000-0000-0000-000000000003"])).toEqual({
      MY_OTHER_SECRET: 'my=wierd"secret', SSH_PRIVATE_KEY: "some_key\nwith_linebreak",
    });
    expect(fake.calls()).toEqual([
      "bws --version", "bws project list", "bws secret list",
      "bws --version", "bws project list", `bws secret list ${PROJECT}`,
      "bws --version", "bws project list", "bws secret get 11111111-0000-0000-0000-000000000002", "bws secret get 11111111-0000-0000-0000-000000000003",
    ]);
  });

  test("errors", () => {
    fake = new FakeVaults(state, { BWS_ACCESS_TOKEN: "0.token" });
    expect(() => fake.fetch("bitwarden-sm", [])).toThrow("You must specify what to retrieve from Bitwarden Secrets Manager");
    expect(() => fake.fetch("bitwarden-sm", ["nope"])).toThrow("Could not read nope from Bitwarden Secrets Manager");
    expect(() => fake.fetch("bitwarden-sm", ["all"], { from: "unknown-project" })).toThrow("Could not read secrets from Bitwarden Secrets Manager");
    expect(() => fake.fetch("bitwarden-sm", ["all"], { path: fake.dir })).toThrow("Bitwarden Secrets Manager CLI is not installed");
    fake.cleanup();
    fake = new FakeVaults(state, { BWS_ACCESS_TOKEN: "wrong" });
    expect(() => fake.fetch("bitwarden-sm", ["all"])).toThrow("Could not authenticate to Bitwarden Secrets Manager. Did you set a valid access token?");
  });
});
