// Registry commands (reference §3.12, Kamal's commands/registry.rb). They take a RegistryConfig, not the app's
// configuration, so accessories with their own `registry:` use the same builders.
//   docker login [<server>] -u <user> --password-stdin        (the password goes on stdin, never on the command line)
//   docker logout [<server>]
//   docker start kamal-docker-registry || docker run --detach -p 127.0.0.1:<port>:5000 --name kamal-docker-registry registry:3
//   docker stop kamal-docker-registry && docker rm kamal-docker-registry
import type { RegistryConfig } from "../config/registry.ts";
import { and, docker, or, secret, type Cmd } from "../shell/index.ts";

export const LOCAL_REGISTRY_CONTAINER = "kamal-docker-registry";
export const LOCAL_REGISTRY_IMAGE = "registry:3";

/** Where a registry is, for messages: its server, or Docker Hub when none is set. */
export const registryName = (registry: RegistryConfig): string => registry.server ?? "Docker Hub";

/** docker login [<server>] -u <user> --password-stdin (the user is redacted in logs like Kamal's; feed the password on stdin). */
export const login = (registry: RegistryConfig, username: string): Cmd =>
  docker("login", registry.server, "-u", secret(username), "--password-stdin");

/** docker logout [<server>] */
export const logout = (registry: RegistryConfig): Cmd => docker("logout", registry.server);

/** Start (or create) the local registry container that a `localhost:<port>` registry means. */
export const setupLocalRegistry = (registry: RegistryConfig): Cmd =>
  or(
    docker("start", LOCAL_REGISTRY_CONTAINER),
    docker("run", "--detach", "-p", `127.0.0.1:${registry.localPort}:5000`, "--name", LOCAL_REGISTRY_CONTAINER, LOCAL_REGISTRY_IMAGE),
  );

/** docker stop kamal-docker-registry && docker rm kamal-docker-registry */
export const removeLocalRegistry = (): Cmd => and(docker("stop", LOCAL_REGISTRY_CONTAINER), docker("rm", LOCAL_REGISTRY_CONTAINER));
