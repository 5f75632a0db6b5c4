// What `app boot` puts on each app host before any container starts (reference §3.8, §4.5 step 2): the version's
// error pages (once per host), then per role the assets taken out of the image and the custom TLS certificate.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import type { Config, Role } from "../../config/index.ts";
import { errorPagesVersionDirectory, extractAssets, makeErrorPagesDirectory, makeTlsDirectory, syncAssetVolumes, tlsHostPaths } from "../../commands/app/index.ts";
import type { Context } from "../context.ts";
import { currentRunningVersion } from "./containers.ts";

const ERROR_PAGE = /^[45]\d\d\.html$/;

/** The local error pages to upload (`error_pages_path/{4??,5??}.html`). */
export function localErrorPages(ctx: Context, config: Config): string[] {
  if (config.errorPagesPath === undefined) return [];
  const dir = isAbsolute(config.errorPagesPath) ? config.errorPagesPath : join(ctx.cwd, config.errorPagesPath);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => ERROR_PAGE.test(f)).sort().map((f) => join(dir, f));
}

async function uploadErrorPages(ctx: Context, config: Config, host: string, version: string): Promise<void> {
  const pages = localErrorPages(ctx, config);
  if (pages.length === 0) return;
  await ctx.runner.run(host, makeErrorPagesDirectory(config, version));
  for (const page of pages) {
    const name = page.slice(page.lastIndexOf("/") + 1);
    await ctx.runner.upload(host, readFileSync(page), `${errorPagesVersionDirectory(config, version)}/${name}`, 0o644);
  }
}

async function prepareAssets(ctx: Context, config: Config, host: string, role: Role, version: string): Promise<void> {
  if (!role.assets) return;
  const old = await currentRunningVersion(ctx, host, role, config);
  await ctx.runner.run(host, extractAssets(config, role, version));
  await ctx.runner.run(host, syncAssetVolumes(role, version, old !== version ? old : undefined));
}

async function uploadTls(ctx: Context, config: Config, host: string, role: Role): Promise<void> {
  const paths = tlsHostPaths(config, role);
  const proxy = role.proxy;
  if (!paths || !proxy?.certificatePemSecret || !proxy.privateKeyPemSecret) return;
  ctx.logger.info(`Writing SSL certificates for ${role.name} on ${host}`);
  await ctx.runner.run(host, makeTlsDirectory(config, role));
  await ctx.runner.upload(host, config.secrets.get(proxy.certificatePemSecret), paths.cert, 0o644);
  await ctx.runner.upload(host, config.secrets.get(proxy.privateKeyPemSecret), paths.key, 0o644);
}

/** On every selected app host: error pages, then each role's assets and TLS files. */
export async function prepareHosts(ctx: Context, config: Config, version: string): Promise<void> {
  await ctx.runner.onHosts(ctx.selection.appHosts, async (host) => {
    await uploadErrorPages(ctx, config, host, version);
    for (const selected of ctx.selection.rolesOn(host)) {
      const role = config.role(selected.name)!;
      await prepareAssets(ctx, config, host, role, version);
      await uploadTls(ctx, config, host, role);
    }
  });
}
