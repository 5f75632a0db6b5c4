// The small app the build and registry integration tests deliver: busybox httpd, a Dockerfile copying the whole
// context to /app, a .dockerignore that excludes one committed file.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { App } from "./support.ts";

export const DOCKERFILE = `FROM kamal-testbed-busybox:latest
COPY . /app
COPY www /www
CMD ["httpd", "-f", "-p", "80", "-h", "/www"]
`;

export const APP_FILES = {
  Dockerfile: DOCKERFILE,
  ".dockerignore": "ignored.txt\n",
  ".gitignore": ".home/\n",
  "ignored.txt": "must not be in the image\n",
  "www/up/index.html": "up\n",
};

/** Where kamal keeps the app's build clone (BuilderConfig.cloneDirectory with the default TMPDIR). */
export function cloneDirectory(app: App): string {
  const service = /service: (\S+)/.exec(readFileSync(join(app.dir, "config/deploy.yml"), "utf8"))?.[1] ?? "";
  return join(tmpdir(), "kamal-clones", `${service}-${createHash("sha256").update(app.dir).digest("hex").slice(0, 13)}`);
}
