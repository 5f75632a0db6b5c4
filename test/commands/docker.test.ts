import { describe, expect, test } from "bun:test";
import { renderCmd } from "../../src/shell/index.ts";
import * as d from "../../src/commands/docker.ts";

const GET_DOCKER = `sh -c 'curl -fsSL https://get.docker.com || wget -O - https://get.docker.com || echo '\\''exit 1'\\''' | sh`;

describe("docker commands", () => {
  test("checks", () => {
    expect(renderCmd(d.dockerInstalled())).toBe("docker -v");
    expect(renderCmd(d.dockerRunning())).toBe("docker version");
    expect(renderCmd(d.superuser())).toBe(`[ "\${EUID:-$(id -u)}" -eq 0 ] || sudo -nl usermod > /dev/null`);
    expect(renderCmd(d.root())).toBe(`[ "\${EUID:-$(id -u)}" -eq 0 ]`);
    expect(renderCmd(d.inDockerGroup())).toBe(`id -nG "\${USER:-$(id -un)}" | grep -qw docker`);
  });

  test("group change and session refresh", () => {
    expect(renderCmd(d.addToDockerGroup())).toBe(`sudo -n usermod -aG docker "\${USER:-$(id -un)}"`);
    expect(renderCmd(d.refreshSession())).toBe("kill -HUP $PPID");
  });

  test("install: Kamal's get.docker.com pipeline", () => {
    expect(renderCmd(d.installFromGetDocker())).toBe(GET_DOCKER);
  });

  test("install: falls back to the distribution's package", () => {
    expect(renderCmd(d.installDocker())).toBe(GET_DOCKER +
      " || { command -v apt-get > /dev/null && apt-get update -qq && env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io; }" +
      " || { command -v dnf > /dev/null && dnf install -y docker; }" +
      " || { command -v yum > /dev/null && yum install -y docker; }" +
      " || { command -v zypper > /dev/null && zypper --non-interactive install docker; }" +
      " || { command -v apk > /dev/null && apk add --no-cache docker; }");
  });
});
