// `options:` blocks of roles and accessories: `restart` is special, the rest become `--key value` flags.
import { rubyToS, type RawHash } from "./values.ts";

/** One docker flag: `--name` (true) or `--name <value>`. */
export type DockerOptionFlag = [name: string, value: string | true];

export function restartPolicyOf(options: RawHash): string {
  const restart = options.restart;
  return restart === undefined || restart === null || restart === false ? "unless-stopped" : rubyToS(restart);
}

/** Kamal's optionize over the options except `restart`: arrays repeat the flag, true gives a bare flag. */
export function dockerOptionFlags(options: RawHash): DockerOptionFlag[] {
  return Object.entries(options)
    .filter(([key]) => key !== "restart")
    .flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v): DockerOptionFlag => [key, v === true ? true : rubyToS(v)]));
}
