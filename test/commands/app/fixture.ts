// The configuration the app command tests render against (Kamal's app_test.rb shape plus a worker role).
import { makeConfig } from "../../config/derived-helpers.ts";

export const config = makeConfig({
  servers: {
    web: ["1.1.1.1"],
    workers: { hosts: ["1.1.1.2"], cmd: "bin/jobs --queue x", options: { memory: "2g", "cap-add": true }, labels: { team: "a b" } },
  },
  env: { clear: { A: "1", EMPTY: "" }, secret: ["S"] },
  volumes: ["/data:/data"],
  asset_path: "/public",
  error_pages_path: "public",
  proxy: { host: "app.example.com", healthcheck: { path: "/up" } },
});
export const web = config.role("web")!;
export const workers = config.role("workers")!;
export const staging = makeConfig({ servers: ["1.1.1.1"] }, { destination: "staging" });
