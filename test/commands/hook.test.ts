import { describe, expect, test } from "bun:test";
import { renderCmd } from "../../src/shell/index.ts";
import { hookEnv, hookFile, runHook } from "../../src/commands/hook.ts";

describe("hook commands", () => {
  test("runs the hook through /usr/bin/env", () => {
    expect(renderCmd(runHook(".kamal/hooks", "pre-deploy"))).toBe("/usr/bin/env .kamal/hooks/pre-deploy");
  });

  test("custom hooks_path, trailing slash tolerated", () => {
    expect(hookFile("custom/hooks/", "pre-connect")).toBe("custom/hooks/pre-connect");
    expect(renderCmd(runHook("my hooks", "post-deploy"))).toBe("/usr/bin/env 'my hooks/post-deploy'");
  });

  test("env: KAMAL_ prefix, upper case, unset values dropped", () => {
    expect(hookEnv({ recorded_at: "2024-05-01T10:00:00Z", performer: "me", destination: undefined, version: "123", service_version: "app@123", service: "app", hosts: "1.1.1.1,1.1.1.2", lock: "false", command: "deploy" }))
      .toEqual({
        KAMAL_RECORDED_AT: "2024-05-01T10:00:00Z", KAMAL_PERFORMER: "me", KAMAL_VERSION: "123", KAMAL_SERVICE_VERSION: "app@123",
        KAMAL_SERVICE: "app", KAMAL_HOSTS: "1.1.1.1,1.1.1.2", KAMAL_LOCK: "false", KAMAL_COMMAND: "deploy",
      });
  });

  test("env with secrets appended", () => {
    expect(hookEnv({ service: "app" }, { DB_PASSWORD: "secret" })).toEqual({ KAMAL_SERVICE: "app", DB_PASSWORD: "secret" });
  });
});
