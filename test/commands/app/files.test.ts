// Assets, error pages and TLS directories (§3.8).
import { describe, expect, test } from "bun:test";
import { renderCmd } from "../../../src/shell/index.ts";
import * as app from "../../../src/commands/app/index.ts";
import { makeConfig } from "../../config/derived-helpers.ts";
import { config, web } from "./fixture.ts";

const E = ".kamal/apps/app/assets/extracted";
const V = ".kamal/apps/app/assets/volumes";

describe("assets", () => {
  test("extract from the image", () => {
    expect(renderCmd(app.extractAssets(config, web, "999"))).toBe(
      `mkdir -p ${E}/web-999 && { docker container rm app-web-assets 2> /dev/null || true; } && docker container create --name app-web-assets dhh/app:999 && docker container cp -L app-web-assets:/public/. ${E}/web-999 && docker container rm app-web-assets`,
    );
  });

  test("sync volumes with and without an old version", () => {
    expect(renderCmd(app.syncAssetVolumes(web, "999"))).toBe(`mkdir -p ${V}/web-999 ; cp -rnT ${E}/web-999 ${V}/web-999`);
    expect(renderCmd(app.syncAssetVolumes(web, "999", "998"))).toBe(
      `mkdir -p ${V}/web-999 ; cp -rnT ${E}/web-999 ${V}/web-999 ; cp -rnT ${E}/web-999 ${V}/web-998 || true ; cp -rnT ${E}/web-998 ${V}/web-999 || true`,
    );
  });

  test("clean up other versions", () => {
    expect(renderCmd(app.cleanUpAssets(web, "999"))).toBe(
      `find ${E} -maxdepth 1 -name 'web-*' '!' -name web-999 -exec rm -rf '{}' + ; find ${V} -maxdepth 1 -name 'web-*' '!' -name web-999 -exec rm -rf '{}' +`,
    );
  });
});

describe("error pages and TLS", () => {
  test("error pages directory and clean-up", () => {
    expect(renderCmd(app.makeErrorPagesDirectory(config, "999"))).toBe("mkdir -p .kamal/proxy/apps-config/app/error_pages/999");
    expect(renderCmd(app.cleanUpErrorPages(config, "999"))).toBe(
      "find .kamal/proxy/apps-config/app/error_pages -mindepth 1 -maxdepth 1 '!' -name 999 -exec rm -rf '{}' +",
    );
  });

  test("TLS directory and host paths", () => {
    expect(renderCmd(app.makeTlsDirectory(config, web))).toBe("mkdir -p .kamal/proxy/apps-config/app/tls/web");
    expect(app.tlsHostPaths(config, web)).toBeUndefined();
    const c = makeConfig({ servers: ["1.1.1.1"], proxy: { host: "a.example.com", ssl: { certificate_pem: "CERT", private_key_pem: "KEY" } } });
    expect(app.tlsHostPaths(c, c.role("web")!)).toEqual({
      cert: ".kamal/proxy/apps-config/app/tls/web/cert.pem", key: ".kamal/proxy/apps-config/app/tls/web/key.pem",
    });
  });
});
