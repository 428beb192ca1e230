// Fault containerd-cri-disabled: the config Docker's containerd.io package ships, with the CRI plugin disabled.
import { containerdIoPackagedConfig } from "../data/containerd.ts";
import { containerdConfigFunctions } from "../containerd-config-shell.ts";
import type { FaultRenderer } from "./fault-renderer.ts";
import { heredoc } from "../shell.ts";

/** Replaces config.toml with containerd.io's (version 1, disabled_plugins = ["cri"]); verified with config dump. */
export const containerdCriDisabledFault: FaultRenderer<"containerd-cri-disabled"> = () => ({
  description:
    'replaces /etc/containerd/config.toml with the one containerd.io ships (disabled_plugins = ["cri"]): the CRI service is gone, so kubeadm preflight fails with [ERROR CRI] ... unknown service runtime.v1.RuntimeService',
  body: () => `${containerdConfigFunctions}
mkdir -p /etc/containerd
if [ -f "$config" ] && [ ! -f "$config.harness-orig" ]; then cp -p "$config" "$config.harness-orig"; fi
cat > "$config" ${heredoc(containerdIoPackagedConfig, "TOML")}
disabled=$(containerd config dump | toml_get "" disabled_plugins)
case "$disabled" in
  *'"cri"'* | *'"io.containerd.grpc.v1.cri"'*) echo "harness: containerd config dump: disabled_plugins = $disabled" ;;
  *)
    echo "harness: containerd config dump shows disabled_plugins = '$disabled': the CRI plugin is not disabled" >&2
    exit 1
    ;;
esac
systemctl restart containerd`,
  uploads: [],
  artifacts: [],
  timeoutMs: 120_000,
});
