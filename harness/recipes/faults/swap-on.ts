// Fault swap-on: a swap file active when kubeadm runs (bugs.md section 5); runs after OS preparation turned swap off.
import { parseSizeMiB } from "../../plan/duration.ts";
import type { FaultRenderer } from "./fault-renderer.ts";

/** Path of the fault's swap file (not in /etc/fstab: it is on only for this boot). */
export const faultSwapFile = "/var/lib/harness/swapfile";

/** Creates, formats and enables a swap file of the given size; fails unless swapon lists it. */
export const swapOnFault: FaultRenderer<"swap-on"> = (fault) => {
  const mib = parseSizeMiB(fault.size);
  return {
    description: `enables a ${fault.size} swap file after OS preparation turned swap off: kubeadm's preflight reports Swap (an error before 1.23, a warning since) and kubelet refuses to start unless failSwapOn is false`,
    body: () => `mkdir -p "$(dirname ${faultSwapFile})"
if ! swapon --show=NAME --noheadings | grep -qx ${faultSwapFile}; then
  rm -f ${faultSwapFile}
  dd if=/dev/zero of=${faultSwapFile} bs=1M count=${mib} status=none
  chmod 600 ${faultSwapFile}
  mkswap ${faultSwapFile}
  swapon ${faultSwapFile}
fi
swapon --show
if ! swapon --show=NAME --noheadings | grep -qx ${faultSwapFile}; then
  echo "harness: ${faultSwapFile} is not active after swapon" >&2
  exit 1
fi`,
    uploads: [],
    artifacts: [],
    timeoutMs: 300_000,
  };
};
