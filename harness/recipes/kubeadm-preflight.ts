// Which kubeadm preflight errors a scenario ignores, and the flag that says so to kubeadm init and join.
import type { Scenario } from "../scenario/schema.ts";
import { quote } from "./shell.ts";

/** The harness's own ignored checks (first), then the scenario's, without repeats. */
export function ignoredPreflightChecks(
  kubernetes: Exclude<Scenario["kubernetes"], "none">,
  harnessChecks: string[],
): string[] {
  return [...new Set([...harnessChecks, ...kubernetes.ignorePreflightErrors])];
}

/** ` --ignore-preflight-errors=A,B` (quoted for the shell), or nothing when no check is ignored. */
export function ignorePreflightFlag(checks: string[]): string {
  return checks.length === 0 ? "" : ` --ignore-preflight-errors=${quote(checks.join(","))}`;
}
