// kubelet's own flags on every node (/etc/default/kubelet, read by the kubeadm drop-in): node-ip and log level.
import type { Scenario } from "../scenario/schema.ts";
import { quote } from "./shell.ts";

/** The kubelet flags the harness adds, in words, for a step's description. */
export function kubeletExtraArgsDescription(kubernetes: Exclude<Scenario["kubernetes"], "none">): string {
  return `kubelet --node-ip = the node's private address${kubernetes.kubeletVerbosity === undefined ? "" : `, --v=${kubernetes.kubeletVerbosity}`}`;
}

/** The shell line that writes /etc/default/kubelet for a node at `privateIp`. */
export function kubeletExtraArgsLine(
  kubernetes: Exclude<Scenario["kubernetes"], "none">,
  privateIp: string,
): string {
  const v = kubernetes.kubeletVerbosity;
  return v === undefined
    ? `printf 'KUBELET_EXTRA_ARGS=--node-ip=%s\\n' ${quote(privateIp)} > /etc/default/kubelet`
    : `printf 'KUBELET_EXTRA_ARGS=--node-ip=%s --v=%s\\n' ${quote(privateIp)} ${quote(String(v))} > /etc/default/kubelet`;
}
