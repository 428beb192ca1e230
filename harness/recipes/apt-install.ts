// The bash function every install step uses: apt-get install without touching the network unless it must.

/**
 * `apt_install ARGS...`: installs packages or uploaded .deb paths; runs `apt-get update` and retries only when
 * the first attempt fails (dependencies missing from the guest's apt cache). Downgrades are allowed so a pinned
 * older package replaces a newer one.
 */
export const aptInstallFunction = `apt_install() {
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends --allow-downgrades "$@"; then
    echo "harness: apt-get install failed with the current package lists; running apt-get update and retrying" >&2
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends --allow-downgrades "$@"
  fi
}`;
