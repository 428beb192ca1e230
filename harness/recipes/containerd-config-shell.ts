// Bash shared by every step that edits containerd's config: table names per config version, a full default
// config when the current one is partial, and a check through `containerd config dump` that an edit took effect.
import { tomlBashFunctions } from "./toml-edit.ts";

/** containerd's config file. */
export const containerdConfigPath = "/etc/containerd/config.toml";

/**
 * Defines toml_* functions, `select_containerd_tables` (sets runc_table, sandbox_table, sandbox_key from the
 * version `containerd config default` prints: 2 for containerd 1.x, 3 for 2.x), `ensure_full_config`
 * (regenerates the default when the runc options table is missing: a partial config loses runtime_type) and
 * `expect_config TABLE KEY VALUE` (fails unless `containerd config dump` shows VALUE).
 */
export const containerdConfigFunctions = `${tomlBashFunctions}
config=${containerdConfigPath}
# shellcheck disable=SC2034 # runc_table, sandbox_table and sandbox_key are read by the edits that follow
select_containerd_tables() {
  local version
  version=$(containerd config default | toml_get "" version)
  case "$version" in
    2)
      runc_table='[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]'
      sandbox_table='[plugins."io.containerd.grpc.v1.cri"]'
      sandbox_key=sandbox_image
      ;;
    3)
      runc_table="[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]"
      sandbox_table="[plugins.'io.containerd.cri.v1.images'.pinned_images]"
      sandbox_key=sandbox
      ;;
    *)
      echo "harness: containerd config default printed config version '$version'; only 2 (containerd 1.x) and 3 (2.x) are known" >&2
      exit 1
      ;;
  esac
}
write_default_config() {
  mkdir -p "$(dirname "$config")"
  if [ -f "$config" ] && [ ! -f "$config.harness-orig" ]; then cp -p "$config" "$config.harness-orig"; fi
  containerd config default > "$config"
}
ensure_full_config() {
  if [ ! -f "$config" ] || ! toml_has_table "$config" "$runc_table"; then
    echo "harness: $config is missing or partial (no $runc_table); starting from containerd config default" >&2
    write_default_config
  fi
}
expect_config() {
  local actual dumped
  dumped=$(containerd config dump)
  actual=$(toml_get "$1" "$2" <<< "$dumped")
  # containerd 1.4 keeps the runc options as an undecoded TOML value and 'config dump' prints their table empty
  # (measured with 1.4.13): there, the file it loaded without error is what can be checked.
  if [ -z "$actual" ] && [ "$1" = "$runc_table" ] && containerd --version | grep -Eq ' (v)?1\\.4\\.' \\
    && awk -v t="$1" '{ sub(/^[[:space:]]+/, "") } $0 == t { found = 1 } END { exit !found }' <<< "$dumped"; then
    actual=$(toml_get "$1" "$2" < "$config")
    if [ "$actual" = "$3" ]; then
      echo "harness: $config: $1 $2 = $actual (containerd 1.4's config dump does not print runc options; containerd loaded the file)"
      return 0
    fi
  fi
  if [ "$actual" != "$3" ]; then
    echo "harness: containerd config dump shows $2 = '$actual' in $1, expected '$3': the edit of $config did not take effect" >&2
    exit 1
  fi
  echo "harness: containerd config dump: $1 $2 = $actual"
}
select_containerd_tables`;
