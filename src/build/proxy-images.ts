// The kamal-proxy image archives of one run, one per host architecture: written once to a temp file when a host
// needs it, streamed from there to each host's `docker load`, removed at the end of the run.
import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { currentProcess, proxyExecutableFor, type ExecutableProcess } from "./proxy-executable.ts";
import { writeProxyImage, DEFAULT_PROXY_IMAGE_TAGS } from "./proxy-image.ts";

export interface ProxyImageArchive {
  readonly available: true;
  readonly architecture: string;
  /** `sha256:<hex>`: what `docker image inspect --format '{{.Id}}'` shows once loaded. */
  readonly imageId: string;
  readonly tags: readonly string[];
  readonly size: number;
  /** A fresh stream of the archive (for one `docker load`). */
  open(): Readable;
}

export type ProxyImageResult = ProxyImageArchive | { readonly available: false; readonly reason: string };

/** Where a run gets the image archive for an architecture (flows take this, tests give their own). */
export interface ProxyImageSource {
  forArchitecture(arch: string): Promise<ProxyImageResult>;
  close(): Promise<void>;
}

/** Writes archives from the executables proxy-executable.ts finds. */
export class ExecutableProxyImages implements ProxyImageSource {
  readonly #process: ExecutableProcess;
  readonly #archives = new Map<string, Promise<ProxyImageResult>>();
  #dir: Promise<string> | undefined;

  constructor(process: ExecutableProcess = currentProcess()) {
    this.#process = process;
  }

  forArchitecture(arch: string): Promise<ProxyImageResult> {
    let pending = this.#archives.get(arch);
    if (!pending) {
      pending = this.#write(arch);
      this.#archives.set(arch, pending);
    }
    return pending;
  }

  async #write(arch: string): Promise<ProxyImageResult> {
    const choice = await proxyExecutableFor(this.#process, arch);
    if (!choice.found) return { available: false, reason: choice.reason };
    const dir = await (this.#dir ??= mkdtemp(join(tmpdir(), "kamal-proxy-image-")));
    const outputPath = join(dir, `kamal-proxy-${arch}.tar`);
    const image = await writeProxyImage({ binaryPath: choice.path, outputPath, architecture: arch, libraries: choice.libraries, tags: DEFAULT_PROXY_IMAGE_TAGS });
    return {
      available: true, architecture: arch, imageId: image.imageId, tags: image.tags, size: image.archiveSize,
      open: () => createReadStream(outputPath, { highWaterMark: 1024 * 1024 }),
    };
  }

  async close(): Promise<void> {
    if (this.#dir) await rm(await this.#dir, { recursive: true, force: true });
  }
}
