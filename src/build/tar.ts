// A minimal POSIX ustar writer, enough for docker image archives (`docker save` / `docker load` format) and their
// layers: directories, regular files (from memory or streamed from disk), symlinks, owners and modes.
// Hand-written because ustar headers are 512 bytes of fixed fields; writing them needs no dependency.
import { createHash, type Hash } from "node:crypto";
import { open, stat, type FileHandle } from "node:fs/promises";

export interface TarEntryMeta {
  mode?: number;
  uid?: number;
  gid?: number;
  uname?: string;
  gname?: string;
  /** Seconds since the epoch. */
  mtime?: number;
}

const BLOCK = 512;
const TYPE_FILE = "0";
const TYPE_SYMLINK = "2";
const TYPE_DIRECTORY = "5";
const COPY_CHUNK = 1024 * 1024;

/** Splits a path into ustar's `prefix` (≤155) and `name` (≤100) fields; throws if it cannot fit. */
export function splitTarPath(path: string): { prefix: string; name: string } {
  if (Buffer.byteLength(path) <= 100) return { prefix: "", name: path };
  for (let i = path.lastIndexOf("/"); i > 0; i = path.lastIndexOf("/", i - 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name.length > 0) return { prefix, name };
  }
  throw new Error(`path too long for a ustar archive: ${path}`);
}

function writeString(block: Buffer, offset: number, length: number, value: string): void {
  const bytes = Buffer.from(value, "utf8");
  if (bytes.length > length) throw new Error(`tar header field too long: ${value}`);
  bytes.copy(block, offset);
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  const digits = value.toString(8);
  if (digits.length > length - 1) throw new Error(`tar header number too large: ${value}`);
  writeString(block, offset, length, `${digits.padStart(length - 1, "0")}\0`);
}

/** One 512-byte ustar header. */
export function tarHeader(path: string, type: string, size: number, meta: TarEntryMeta, linkName = ""): Buffer {
  const block = Buffer.alloc(BLOCK);
  const { prefix, name } = splitTarPath(path);
  writeString(block, 0, 100, name);
  writeOctal(block, 100, 8, meta.mode ?? (type === TYPE_DIRECTORY ? 0o755 : 0o644));
  writeOctal(block, 108, 8, meta.uid ?? 0);
  writeOctal(block, 116, 8, meta.gid ?? 0);
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, Math.floor(meta.mtime ?? 0));
  block.fill(" ", 148, 156); // checksum field counts as spaces while summing
  writeString(block, 156, 1, type);
  writeString(block, 157, 100, linkName);
  writeString(block, 257, 6, "ustar\0");
  writeString(block, 263, 2, "00");
  writeString(block, 265, 32, meta.uname ?? (meta.uid ? "" : "root"));
  writeString(block, 297, 32, meta.gname ?? (meta.gid ? "" : "root"));
  writeString(block, 345, 155, prefix);
  let sum = 0;
  for (const byte of block) sum += byte;
  writeString(block, 148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
  return block;
}

/** Writes a tar archive sequentially into a file, hashing (sha256) everything written. */
export class TarWriter {
  private readonly hash: Hash = createHash("sha256");
  private position = 0;

  private constructor(private readonly out: FileHandle) {}

  static async create(path: string): Promise<TarWriter> {
    return new TarWriter(await open(path, "w", 0o644));
  }

  get bytesWritten(): number {
    return this.position;
  }

  async directory(path: string, meta: TarEntryMeta = {}): Promise<void> {
    await this.write(tarHeader(path.endsWith("/") ? path : `${path}/`, TYPE_DIRECTORY, 0, meta));
  }

  async symlink(path: string, target: string, meta: TarEntryMeta = {}): Promise<void> {
    await this.write(tarHeader(path, TYPE_SYMLINK, 0, { mode: 0o777, ...meta }, target));
  }

  async file(path: string, content: Uint8Array | string, meta: TarEntryMeta = {}): Promise<void> {
    const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    await this.write(tarHeader(path, TYPE_FILE, bytes.byteLength, meta));
    await this.write(bytes);
    await this.pad(bytes.byteLength);
  }

  /** Adds a file whose content is streamed from `sourcePath` (symlinks followed). */
  async fileFrom(path: string, sourcePath: string, meta: TarEntryMeta = {}): Promise<void> {
    const size = (await stat(sourcePath)).size;
    await this.write(tarHeader(path, TYPE_FILE, size, meta));
    const source = await open(sourcePath, "r");
    try {
      const chunk = Buffer.alloc(COPY_CHUNK);
      let copied = 0;
      while (copied < size) {
        const { bytesRead } = await source.read(chunk, 0, Math.min(COPY_CHUNK, size - copied), copied);
        if (bytesRead === 0) throw new Error(`${sourcePath} shrank while being archived`);
        await this.write(chunk.subarray(0, bytesRead));
        copied += bytesRead;
      }
    } finally {
      await source.close();
    }
    await this.pad(size);
  }

  /** Writes the end-of-archive marker, closes the file, returns the sha256 (hex) of the whole archive. */
  async finish(): Promise<{ sha256: string; size: number }> {
    await this.write(Buffer.alloc(BLOCK * 2));
    await this.out.close();
    return { sha256: this.hash.digest("hex"), size: this.position };
  }

  private async pad(size: number): Promise<void> {
    const rest = size % BLOCK;
    if (rest) await this.write(Buffer.alloc(BLOCK - rest));
  }

  private async write(bytes: Uint8Array): Promise<void> {
    this.hash.update(bytes);
    let written = 0;
    while (written < bytes.byteLength) {
      const result = await this.out.write(bytes, written, bytes.byteLength - written, this.position + written);
      written += result.bytesWritten;
    }
    this.position += bytes.byteLength;
  }
}
