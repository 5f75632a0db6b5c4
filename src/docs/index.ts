// The text `kamal docs [SECTION]` prints, compiled into the binary.
import { ACCESSORY_DOC, ALIAS_DOC, ANCHORS_DOC, BOOT_DOC, LOGGING_DOC, OUTPUT_DOC, SSH_DOC, SSHKIT_DOC } from "./hosts-and-more.ts";
import { BUILDER_DOC, PROXY_DOC } from "./build-and-proxy.ts";
import { CONFIGURATION_DOC } from "./configuration.ts";
import { ENV_DOC, REGISTRY_DOC, ROLE_DOC, SERVERS_DOC } from "./roles.ts";

/** Section name -> documentation (commented YAML). */
export const DOC_SECTIONS: Readonly<Record<string, string>> = {
  configuration: CONFIGURATION_DOC,
  servers: SERVERS_DOC,
  role: ROLE_DOC,
  env: ENV_DOC,
  registry: REGISTRY_DOC,
  builder: BUILDER_DOC,
  proxy: PROXY_DOC,
  ssh: SSH_DOC,
  sshkit: SSHKIT_DOC,
  accessory: ACCESSORY_DOC,
  boot: BOOT_DOC,
  logging: LOGGING_DOC,
  output: OUTPUT_DOC,
  alias: ALIAS_DOC,
  anchors: ANCHORS_DOC,
};
