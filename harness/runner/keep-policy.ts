// --keep: whether a run's machines survive it, and the command line that reaches a kept one.
import type { Machine, Provider } from "../providers/provider.ts";
import { quote } from "../recipes/shell.ts";
import { isAccessDescribing, type KeepPolicy } from "./runner-deps.ts";
import type { VerdictDecision } from "./verdict.ts";

/** never: always destroy; always: always keep; on-failure: keep when the verdict does not pass (not when aborted). */
export function keepMachines(
  policy: KeepPolicy,
  decision: Pick<VerdictDecision, "pass" | "verdict">,
): boolean {
  switch (policy) {
    case "never":
      return false;
    case "always":
      return true;
    case "on-failure":
      return !decision.pass && decision.verdict !== "aborted";
  }
}

/** How to reach a machine: the provider's own command when it has one, else ssh with the run's key. */
export function accessCommand(provider: Provider, machine: Machine): string {
  if (isAccessDescribing(provider)) return provider.accessCommand(machine);
  const { host, port, user, privateKeyPath } = machine.ssh;
  return [
    "ssh",
    "-i",
    quote(privateKeyPath),
    "-p",
    String(port),
    "-o",
    "StrictHostKeyChecking=no",
    "-o",
    "UserKnownHostsFile=/dev/null",
    `${user}@${host}`,
  ].join(" ");
}
