import { describe, expect, test } from "bun:test";
import { renderCmd } from "../../../src/shell/index.ts";
import { deployToProxy, removeFromProxy, resumeInProxy, stopInProxy } from "../../../src/commands/app/index.ts";
import { makeConfig } from "../../config/derived-helpers.ts";
import { config, web } from "./fixture.ts";

describe("kamal-proxy app lines (§3.7)", () => {
  test("deploy: target id and app port, flags in Kamal's order, error pages of the version", () => {
    expect(renderCmd(deployToProxy(config, web, "abc123def456", "999"))).toBe(
      "docker exec kamal-proxy kamal-proxy deploy app-web --target=abc123def456:80 --host=app.example.com --deploy-timeout=30s --drain-timeout=30s --health-check-path=/up --buffer-requests --buffer-responses --log-request-header=Cache-Control --log-request-header=Last-Modified --log-request-header=User-Agent --error-pages=/home/kamal-proxy/.apps-config/app/error_pages/999",
    );
  });

  test("deploy without error pages, with ssl and app_port", () => {
    const c = makeConfig({ servers: ["1.1.1.1"], proxy: { host: "a.example.com,b.example.com", ssl: true, app_port: 3000 }, deploy_timeout: 10 });
    expect(renderCmd(deployToProxy(c, c.role("web")!, "abc", "1"))).toBe(
      "docker exec kamal-proxy kamal-proxy deploy app-web --target=abc:3000 --host=a.example.com --host=b.example.com --tls --deploy-timeout=10s --drain-timeout=30s --buffer-requests --buffer-responses --log-request-header=Cache-Control --log-request-header=Last-Modified --log-request-header=User-Agent",
    );
  });

  test("remove, stop (maintenance), resume (live)", () => {
    expect(renderCmd(removeFromProxy(web))).toBe("docker exec kamal-proxy kamal-proxy remove app-web");
    expect(renderCmd(stopInProxy(web))).toBe("docker exec kamal-proxy kamal-proxy stop app-web");
    expect(renderCmd(stopInProxy(web, { drainTimeout: 10, message: "back soon" }))).toBe(
      "docker exec kamal-proxy kamal-proxy stop app-web --drain-timeout=10s '--message=back soon'",
    );
    expect(renderCmd(resumeInProxy(web))).toBe("docker exec kamal-proxy kamal-proxy resume app-web");
  });
});
