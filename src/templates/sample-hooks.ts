// `.kamal/hooks/*.sample` written by `kamal init`: one sample per hook Kamal runs. Rename a file to drop
// `.sample` to enable it. POSIX sh only, so they run anywhere the deploy runs. Our own scripts.

const ENV_HELP = `# Available: KAMAL_RECORDED_AT, KAMAL_PERFORMER, KAMAL_VERSION, KAMAL_SERVICE,
# KAMAL_SERVICE_VERSION, KAMAL_HOSTS, KAMAL_COMMAND, KAMAL_SUBCOMMAND, KAMAL_LOCK,
# KAMAL_ROLES and KAMAL_DESTINATION (when given)`;

const echoHook = (name: string, when: string, line: string, extra = ""): string => `#!/bin/sh
# Sample ${name} hook: runs ${when}.
# A non-zero exit stops the command.
#
${ENV_HELP}${extra}

echo "${line}"
`;

const PRE_BUILD = `#!/bin/sh
# Sample pre-build hook: runs before the image is built. It refuses to build
#  - from a checkout with uncommitted changes,
#  - from a branch that was never pushed, or whose remote head differs from KAMAL_VERSION.
#
${ENV_HELP}

set -e

if [ -n "$(git status --porcelain)" ]; then
  echo "Uncommitted changes in the checkout; commit or stash them first." >&2
  exit 1
fi

branch=$(git branch --show-current)
remote=$(git config --get "branch.$branch.remote" || true)
if [ -z "$remote" ]; then
  echo "Branch $branch has no remote; push it first." >&2
  exit 1
fi

remote_head=$(git ls-remote "$remote" "refs/heads/$branch" | cut -f1)
if [ -z "$remote_head" ]; then
  echo "Branch $branch is not on $remote yet; push it first." >&2
  exit 1
fi

if [ "$KAMAL_VERSION" != "$remote_head" ]; then
  echo "Deploying $KAMAL_VERSION but $remote/$branch is at $remote_head; push or pull first." >&2
  exit 1
fi
`;

const PRE_CONNECT = `#!/bin/sh
# Sample pre-connect hook: runs once, before the first SSH connection. This one looks up
# every host first, so slow DNS does not eat into the SSH connect timeout.
#
${ENV_HELP}
# Secrets from .kamal/secrets are in the environment too.

resolve() {
  if command -v getent > /dev/null 2>&1; then getent hosts "$1"; else nslookup "$1"; fi
}

for host in $(echo "$KAMAL_HOSTS" | tr ',' ' '); do
  resolve "$host" > /dev/null 2>&1 || echo "Could not resolve $host" >&2
done
`;

const PRE_DEPLOY = `#!/bin/sh
# Sample pre-deploy hook: runs after the deploy lock is taken, before anything is booted.
# This one waits for the GitHub checks of the deployed commit when deploying to production.
# It needs GITHUB_TOKEN and GITHUB_REPOSITORY (owner/name) in the environment.
#
${ENV_HELP}
# Secrets from .kamal/secrets are in the environment too.

[ "$KAMAL_DESTINATION" = "production" ] || exit 0
[ "$KAMAL_COMMAND" = "rollback" ] && exit 0
if [ -z "$GITHUB_TOKEN" ] || [ -z "$GITHUB_REPOSITORY" ]; then
  echo "Set GITHUB_TOKEN and GITHUB_REPOSITORY to check the build status" >&2
  exit 1
fi

tries=0
while [ $tries -lt 60 ]; do
  state=$(curl -fsS -H "Authorization: Bearer $GITHUB_TOKEN" \\
    "https://api.github.com/repos/$GITHUB_REPOSITORY/commits/$KAMAL_VERSION/status" |
    sed -n 's/^  "state": "\\(.*\\)",$/\\1/p')
  case "$state" in
    success) echo "Checks passed for $KAMAL_VERSION"; exit 0 ;;
    failure|error) echo "Checks failed for $KAMAL_VERSION" >&2; exit 1 ;;
  esac
  echo "Checks are $state for $KAMAL_VERSION, waiting..."
  tries=$((tries + 1))
  sleep 10
done
echo "Gave up waiting for the checks of $KAMAL_VERSION" >&2
exit 1
`;

/** Hook name -> sample script, for every hook Kamal runs. */
export const SAMPLE_HOOKS: Readonly<Record<string, string>> = {
  "docker-setup": echoHook("docker-setup", "on each host after Docker is installed (kamal setup / server bootstrap)",
    "Docker is set up on $KAMAL_HOSTS"),
  "pre-connect": PRE_CONNECT,
  "pre-build": PRE_BUILD,
  "pre-deploy": PRE_DEPLOY,
  "pre-app-boot": echoHook("pre-app-boot", "before each group of hosts boots the new version",
    "Booting $KAMAL_SERVICE_VERSION on $KAMAL_HOSTS...", "\n# KAMAL_HOSTS holds only the hosts of this group."),
  "post-app-boot": echoHook("post-app-boot", "after each group of hosts has booted the new version",
    "Booted $KAMAL_SERVICE_VERSION on $KAMAL_HOSTS", "\n# KAMAL_HOSTS holds only the hosts of this group."),
  "post-deploy": echoHook("post-deploy", "after a deploy, redeploy or rollback finished",
    "$KAMAL_PERFORMER deployed $KAMAL_VERSION to \${KAMAL_DESTINATION:-the servers} in $KAMAL_RUNTIME seconds",
    "\n# KAMAL_RUNTIME is the run time in seconds; secrets are in the environment too."),
  "pre-proxy-reboot": echoHook("pre-proxy-reboot", "before kamal-proxy is rebooted on each group of hosts",
    "Rebooting kamal-proxy on $KAMAL_HOSTS..."),
  "post-proxy-reboot": echoHook("post-proxy-reboot", "after kamal-proxy was rebooted on each group of hosts",
    "Rebooted kamal-proxy on $KAMAL_HOSTS"),
};
