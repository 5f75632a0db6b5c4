// Passbolt via the `passbolt` CLI. Secrets are resource names, optionally under folders
// (`folder/sub/NAME`, or `--from folder/sub`); results are keyed by resource name.
import { ArgumentError } from "../../../errors.ts";
import { cmd } from "../../../shell/index.ts";
import type { CliRunner } from "../runner.ts";
import {
  type AdapterDeps, defineAdapter, inspectList, parseJson, prefixedSecrets, requireCli, rubySplit, SecretsAdapterError,
  type SecretsAdapter,
} from "./base.ts";

interface Folder { id: string; name: string; folder_parent_id?: string | null }
interface Resource { name: string; password: string }

/** A quoted string in passbolt's filter language. (Kamal shell-escapes first; we pass argv, so we don't.) */
const quoted = (text: string): string => JSON.stringify(text);

export function passboltAdapter({ run }: AdapterDeps): SecretsAdapter {
  return defineAdapter({
    requiresAccount: false,
    checkDependencies: () => requireCli(run, ["passbolt", "--version"], "Passbolt CLI"),
    login() {
      if (!run(cmd("passbolt", "verify")).ok) throw new SecretsAdapterError("Failed to login to Passbolt");
    },
    fetchSecrets(names, { from }) {
      const secrets = prefixedSecrets(names, from);
      if (secrets.length === 0) throw new ArgumentError("No secrets given to fetch");
      const secretNames = secrets.map((s) => rubySplit(s, "/").pop() ?? "");
      const folders = findFolders(run, secrets);

      const conditions: string[] = [];
      for (const secret of secrets) {
        const parts = rubySplit(secret, "/");
        const name = parts[parts.length - 1] ?? "";
        if (parts.length <= 1) {
          conditions.push(`Name == ${quoted(name)}`);
          continue;
        }
        let current: Folder | undefined;
        const walked: string[] = [];
        for (const folderName of parts.slice(0, -1)) {
          walked.push(folderName);
          const match = folders.find((f) => folderPath(f, folders) === walked.join("/"));
          if (match) current = match;
        }
        if (current) conditions.push(`(Name == ${quoted(name)} && FolderParentID == ${quoted(current.id)})`);
      }

      const listed = run(cmd(
        "passbolt", "list", "resources",
        conditions.length > 0 && ["--filter", conditions.join(" || ")],
        folders.flatMap((f) => ["--folder", String(f.id)]),
        "--column", "name", "--column", "password", "--json",
      ));
      if (!listed.ok) throw new SecretsAdapterError(`Could not read ${inspectList(secrets)} from Passbolt`);
      const items = parseJson<Resource[]>(listed.stdout, "passbolt list resources");
      const found = new Set(items.map((i) => i.name));
      const missing = secretNames.filter((n) => !found.has(n));
      if (missing.length > 0) {
        throw new SecretsAdapterError(`Could not find the following secrets in Passbolt: ${missing.join(", ")}`);
      }
      const results: Record<string, string> = {};
      for (const item of items) results[item.name] = item.password;
      return results;
    },
  });
}

/** Every folder the secrets live in (top-level ones first, then nested ones level by level). */
function findFolders(run: CliRunner, secrets: string[]): Folder[] {
  const seen = new Set<string>();
  const folderPaths: string[][] = [];
  for (const s of secrets) {
    if (!s.includes("/")) continue;
    const path = rubySplit(s, "/").slice(0, -1);
    if (seen.has(path.join("\0"))) continue;
    seen.add(path.join("\0"));
    folderPaths.push(path);
  }
  if (folderPaths.length === 0) return [];

  const listFolders = (filter: string) => run(cmd("passbolt", "list", "folders", "--filter", filter, "--json"));
  const parents = [...new Set(folderPaths.map((p) => p[0] ?? ""))];
  const top = listFolders(parents.map((n) => `Name == ${quoted(n)}`).join(" || "));
  if (!top.ok) throw new SecretsAdapterError("Could not read folders from Passbolt");
  const parentFolders = parseJson<Folder[]>(top.stdout, "passbolt list folders");
  const all = [...parentFolders];

  for (const path of folderPaths) {
    if (path.length <= 1) continue;
    let current = parentFolders.find((f) => f.name === path[0]);
    if (!current) continue;
    for (const folderName of path.slice(1)) {
      const nested = listFolders(`Name == ${quoted(folderName)} && FolderParentID == ${quoted(current.id)}`);
      if (!nested.ok) continue;
      const children = parseJson<Folder[]>(nested.stdout, "passbolt list folders");
      if (children.length === 0) break;
      all.push(...children);
      current = children[0]!;
    }
  }

  const foundPaths = new Set(all.map((f) => folderPath(f, all)));
  const missing = folderPaths.map((p) => p.join("/")).filter((p) => !foundPaths.has(p));
  if (missing.length > 0) throw new SecretsAdapterError(`Could not find the following folders in Passbolt: ${missing.join(", ")}`);
  return all;
}

/** `parent/child` path of a folder, following folder_parent_id through the folders we know. */
function folderPath(folder: Folder, all: Folder[]): string {
  const path = [folder.name];
  let at: Folder | undefined = folder;
  const visited = new Set<string>();
  while (at && at.folder_parent_id && !visited.has(at.id)) {
    visited.add(at.id);
    at = all.find((f) => f.id === at!.folder_parent_id);
    if (at) path.unshift(at.name);
  }
  return path.join("/");
}
