// Fault runc-override: containerd's runc BinaryName pointed at another runc (e.g. upstream v1.0.0-rc93).
import { unsupportedSource } from "../package-source.ts";
import { overrideRuncPath } from "../data/runc.ts";
import { containerdConfigFunctions } from "../containerd-config-shell.ts";
import { runcBinaryInstall } from "../runc-binary.ts";
import { quote } from "../shell.ts";
import { tomlString } from "../toml-edit.ts";
import type { FaultRenderer } from "./fault-renderer.ts";

/** Installs the overriding runc at /usr/local/sbin/runc-override and sets BinaryName to it; verified with config dump. */
export const runcOverrideFault: FaultRenderer<"runc-override"> = (fault, { cell }) => {
  const source = fault.source;
  if (source.from === "distro")
    throw unsupportedSource(
      "the runc-override fault",
      "distro",
      "the distro's runc is containerd's default already; give from: release (e.g. 1.0.0-rc93), file or apt",
    );
  const install = runcBinaryInstall(source, overrideRuncPath, "runc-override", cell.file);
  return {
    description: `installs ${install.summary} at ${overrideRuncPath} and points containerd's runc BinaryName at it: every container of the node runs under that runc`,
    body: () => `${install.install}
${containerdConfigFunctions}
ensure_full_config
toml_set "$config" "$runc_table" BinaryName ${quote(tomlString(overrideRuncPath))}
expect_config "$runc_table" BinaryName ${quote(overrideRuncPath)}
systemctl restart containerd`,
    uploads: install.uploads,
    artifacts: install.artifacts,
    timeoutMs: 180_000,
  };
};
