import { afterEach, describe, expect, test } from "bun:test";
import { FakeVaults } from "./fake-clis.ts";

const secrets = {
  secret: '{"KEY1":"VALUE1", "KEY2":"VALUE2"}',
  plain: "a-string-secret",
  port: "5432",
  name: '"quoted-string"',
  nothing: "null",
  "myapp/RailsUser": '{"host":"db.example","port":5432,"ssl":true,"missing":null,"replicas":{"read":"r.example"},"tags":["prod","db"]}',
  "prefix/KEY1": "V1",
};
let fake: FakeVaults;
afterEach(() => fake.cleanup());

describe("aws_secrets_manager adapter", () => {
  test("JSON objects expand to name/key; other values are strings; --account is the profile", () => {
    fake = new FakeVaults({ aws: { profiles: ["default"], secrets } });
    expect(fake.fetch("aws_secrets_manager", ["secret", "plain", "port", "name", "nothing"], { account: "default" })).toEqual({
      "secret/KEY1": "VALUE1", "secret/KEY2": "VALUE2", plain: "a-string-secret", port: "5432", name: "quoted-string", nothing: "null",
    });
    expect(fake.fetch("aws_secrets_manager", ["myapp/RailsUser"])).toEqual({
      "myapp/RailsUser/host": "db.example", "myapp/RailsUser/port": "5432", "myapp/RailsUser/ssl": "true", "myapp/RailsUser/missing": "null",
      "myapp/RailsUser/replicas": '{"read":"r.example"}', "myapp/RailsUser/tags": '["prod","db"]',
    });
    expect(fake.fetch("aws_secrets_manager", ["KEY1"], { from: "prefix" })).toEqual({ "prefix/KEY1": "V1" });
    expect(fake.calls()).toEqual([
      "aws --version", "aws secretsmanager batch-get-secret-value --secret-id-list secret plain port name nothing --profile default --output json",
      "aws --version", "aws secretsmanager batch-get-secret-value --secret-id-list myapp/RailsUser --output json",
      "aws --version", "aws secretsmanager batch-get-secret-value --secret-id-list prefix/KEY1 --output json",
    ]);
  });

  test("errors reported by AWS, unknown profile, CLI missing", () => {
    fake = new FakeVaults({ aws: { profiles: ["default"], secrets } });
    expect(() => fake.fetch("aws_secrets_manager", ["unknown1", "unknown2"])).toThrow(
      "unknown1: Secrets Manager can't find the specified secret. unknown2: Secrets Manager can't find the specified secret.",
    );
    expect(() => fake.fetch("aws_secrets_manager", ["secret"], { account: "nope" })).toThrow('Could not read ["secret"] from AWS Secrets Manager');
    expect(() => fake.fetch("aws_secrets_manager", ["secret"], { path: fake.dir })).toThrow("AWS CLI is not installed");
  });
});
