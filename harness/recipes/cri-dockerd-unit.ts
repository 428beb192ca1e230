// The bash that writes cri-dockerd's systemd units and (re)starts it: used by the install recipe and by the
// cri-dockerd-no-cni fault, which rewrites the service without --network-plugin=cni.
import type { ComponentSource } from "../scenario/source-schema.ts";
import { criDockerServiceUnit, criDockerSocketUnit, criDockerdSocket } from "./data/cri-dockerd.ts";
import { heredoc, quote } from "./shell.ts";

/** Where the harness puts a cri-dockerd binary from a tarball. */
export const criDockerdBinary = "/usr/local/bin/cri-dockerd";

/** The binary a source installs: .deb packages put it in /usr/bin, tarballs go to /usr/local/bin. */
export function criDockerdBinaryFor(source: ComponentSource): string {
  const isDeb = source.from === "apt" || (source.from === "file" && source.path.endsWith(".deb"));
  return isDeb ? "/usr/bin/cri-dockerd" : criDockerdBinary;
}

/** `--network-plugin=` value: "" reproduces cri-dockerd 0.2.0-0.2.3's no-op unit. */
export function networkPluginFlag(plugin: "cni" | "kubenet" | "none"): string {
  return `--network-plugin=${plugin === "none" ? "" : plugin}`;
}

/** Writes cri-docker.socket and cri-docker.service (overriding any packaged units) and restarts cri-dockerd. */
export function criDockerdUnitsScript(
  binary: string,
  networkPlugin: string,
  podInfraImage: string | null,
): string {
  const args = [binary, "--container-runtime-endpoint", "fd://", networkPlugin];
  if (podInfraImage !== null) args.push(`--pod-infra-container-image=${podInfraImage}`);
  const execStart = args.map((a) => quote(a)).join(" ");
  const socketPath = criDockerdSocket.replace(/^unix:\/\//, "");
  return `mkdir -p /etc/systemd/system
cat > /etc/systemd/system/cri-docker.socket ${heredoc(criDockerSocketUnit, "UNIT")}
cat > /etc/systemd/system/cri-docker.service ${heredoc(criDockerServiceUnit(execStart), "UNIT")}
systemctl daemon-reload
systemctl enable cri-docker.socket cri-docker.service
systemctl restart cri-docker.socket
systemctl restart cri-docker.service
for _ in $(seq 1 30); do
  if [ -S ${quote(socketPath)} ]; then break; fi
  sleep 1
done
if [ ! -S ${quote(socketPath)} ]; then
  echo "harness: cri-dockerd did not create ${socketPath} within 30s; see journalctl -u cri-docker" >&2
  exit 1
fi
systemctl show -p ExecStart --value cri-docker.service`;
}
