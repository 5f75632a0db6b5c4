// Prune (reference §3.11), run on all hosts after a deploy: keep the newest `retain_containers` stopped containers of
// the service, drop dangling images, and drop tagged images no container uses (except latest[-dest]).
import type { Config } from "../config/index.ts";
import { cmd, concat, docker, pipe, raw, subst, type Cmd } from "../shell/index.ts";

/** docker ps -q -a --filter label=service=<svc> --filter status=created|exited|dead | tail -n +<retain+1> | while read ...; do docker rm ...; done */
export const pruneStoppedContainers = (config: Config, retain = config.retainContainers): Cmd =>
  pipe(
    docker("ps", "-q", "-a", "--filter", `label=service=${config.service}`,
      "--filter", "status=created", "--filter", "status=exited", "--filter", "status=dead"),
    cmd("tail", "-n", `+${retain + 1}`),
    cmd(raw("while read container_id; do docker rm $container_id; done")),
  );

/** docker image prune --force --filter label=service=<svc> */
export const pruneDanglingImages = (config: Config): Cmd => docker("image", "prune", "--force", "--filter", `label=service=${config.service}`);

/** Tagged service images that no container (running or stopped) uses, except <repo>:latest[-dest], are removed. */
export function pruneTaggedImages(config: Config): Cmd {
  const service = `label=service=${config.service}`;
  const usedImages = pipe(docker("container", "ls", "-a", "--format", "{{.Image}}\\|", "--filter", service), cmd("tr", "-d", "\\n"));
  const keep = `${config.latestImage}\\|${config.repository}:<none>`;
  return pipe(
    docker("image", "ls", "--filter", service, "--format", "{{.ID}} {{.Repository}}:{{.Tag}}"),
    cmd("grep", "-v", "-w", concat(raw('"'), subst(usedImages), raw('"'), keep)),
    cmd(raw("while read image tag; do docker rmi $tag; done")),
  );
}
