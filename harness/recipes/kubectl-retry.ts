// The shell function recipe steps use for kubectl calls that must outlast an API server restart.

/**
 * `kube <kubectl args>`: kubectl with a 20 s request timeout, tried up to 60 times 3 s apart (3 minutes while
 * connections are refused); prints the output of the call that succeeded, or the last failure on stderr.
 */
export const retriedKubectlFunction = `kube() {
  local out
  for _ in $(seq 1 60); do
    if out=$(kubectl --request-timeout=20s "$@" 2>&1); then
      printf '%s\\n' "$out"
      return 0
    fi
    sleep 3
  done
  printf '%s\\n' "$out" >&2
  return 1
}`;
