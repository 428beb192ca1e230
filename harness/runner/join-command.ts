// The kubeadm join contract: after bootstrap/kubeadm-init, copy the join command file from the control plane to
// every worker (same path), before join/kubeadm-join reads it.
import path from "node:path";
import { describeError } from "../errors.ts";
import { joinCommandPath } from "../recipes/kubeadm-init.ts";
import type { CellContext } from "./cell-context.ts";

/** The step after which the join command is copied. */
export const joinCommandSourceStep = "bootstrap/kubeadm-init";

/**
 * Copies the file when the plan has workers. A missing file is not fatal here (kubeadm init may have failed on
 * purpose in a fault scenario): the error is recorded and join/kubeadm-join reports the missing file itself.
 */
export async function copyJoinCommand(ctx: CellContext): Promise<void> {
  const controlPlane = ctx.plan.machines.find((m) => m.role === "control-plane");
  const workers = ctx.plan.machines.filter((m) => m.role === "worker");
  if (!controlPlane || workers.length === 0) return;
  const source = ctx.transports.get(controlPlane.name);
  if (!source) return;
  const hostCopy = path.join(ctx.runDir, "join", "join-command");
  try {
    await source.download(joinCommandPath, hostCopy);
  } catch (err) {
    ctx.timeline.emit({
      kind: "error",
      step: joinCommandSourceStep,
      node: controlPlane.name,
      message: `could not copy ${joinCommandPath} from ${controlPlane.name}: ${describeError(err)}; the workers cannot join`,
      infra: false,
    });
    return;
  }
  for (const worker of workers) {
    const target = ctx.transports.get(worker.name);
    if (!target) continue;
    try {
      await target.upload(hostCopy, joinCommandPath, 0o600);
    } catch (err) {
      ctx.infraFailures.push(
        `${worker.name}: upload of the join command to ${joinCommandPath} failed: ${describeError(err)}`,
      );
    }
  }
}
