import { afterEach, describe, expect, test } from "bun:test";
import { FakeVaults } from "./fake-clis.ts";

const base = {
  accounts: [{ account: "email@example.com", status: "ACTIVE" }],
  defaultProject: "default-project",
  serviceAccounts: ["service-user@example.com", "service-user2@example.com"],
  secrets: {
    "default-project": { mypassword: ["old", "secret123"] },
    "some-project": { item1: ["secret1"] },
    "other-project": { item2: ["secret2"] },
  },
};
let fake: FakeVaults;
afterEach(() => fake.cleanup());

describe("gcp adapter", () => {
  test("default project and latest version; keys are project/name", () => {
    fake = new FakeVaults({ gcloud: base });
    expect(fake.fetch("gcp", ["mypassword", "some-project/item1/1"], { account: "default" })).toEqual({
      "default/mypassword": "secret123", "some-project/item1": "secret1",
    });
    expect(fake.calls()).toEqual([
      "gcloud --version", "gcloud auth list --format=json",
      "gcloud secrets versions access latest --secret=mypassword --format=json",
      "gcloud secrets versions access 1 --secret=item1 --project=some-project --format=json",
    ]);
  });

  test("--from project, user account and an impersonation chain", () => {
    fake = new FakeVaults({ gcloud: base });
    const account = "email@example.com|service-user@example.com,service-user2@example.com";
    expect(fake.fetch("gcp_secret_manager", ["item2"], { account, from: "other-project" })).toEqual({ "other-project/item2": "secret2" });
    expect(fake.calls()[2]).toBe(
      "gcloud secrets versions access latest --secret=item2 --project=other-project --account=email@example.com " +
      "--impersonate-service-account=service-user@example.com,service-user2@example.com --format=json",
    );
  });

  test("not logged in: gcloud auth login; failure and missing secrets", () => {
    fake = new FakeVaults({ gcloud: { ...base, accounts: [], loginAccount: "email@example.com" } });
    expect(fake.fetch("gcp", ["mypassword"], { account: "default" })).toEqual({ "default/mypassword": "secret123" });
    expect(fake.calls().slice(1, 4)).toEqual(["gcloud auth list --format=json", "gcloud auth login", "gcloud auth list --format=json"]);
    expect(() => fake.fetch("gcp", ["nope"], { account: "default" })).toThrow("Could not read default/nope from Google Secret Manager");
    fake.cleanup();
    fake = new FakeVaults({ gcloud: { ...base, accounts: [] } });
    expect(() => fake.fetch("gcp", ["mypassword"], { account: "default" })).toThrow("could not login to gcloud");
    expect(() => fake.fetch("gcp", ["mypassword"], { account: "default", path: fake.dir })).toThrow("gcloud CLI is not installed");
  });
});
