import { describe, expect, it } from "vitest";
import { accessCommand, keepMachines } from "./keep-policy.ts";
import type { Machine, Provider } from "../providers/provider.ts";

describe("keepMachines", () => {
  it.each([
    ["never", "not-reproduced", false, false],
    ["always", "reproduced", true, true],
    ["on-failure", "reproduced", true, false],
    ["on-failure", "not-reproduced", false, true],
    ["on-failure", "error", false, true],
    ["on-failure", "aborted", false, false],
  ] as const)("%s with %s -> %s", (policy, verdict, pass, kept) => {
    expect(keepMachines(policy, { verdict, pass })).toBe(kept);
  });
});

describe("accessCommand", () => {
  it("is an ssh command line with the run's key when the provider has no own", () => {
    const machine: Machine = {
      name: "node1",
      id: "h-20261123-184212-3f9a1c-node1",
      runId: "20261123-184212-3f9a1c",
      privateIp: "10.200.0.11",
      ssh: { host: "127.0.0.1", port: 40222, user: "root", privateKeyPath: "/r/ssh dir/id_ed25519" },
    };
    expect(accessCommand({ name: "qemu" } as Provider, machine)).toBe(
      "ssh -i '/r/ssh dir/id_ed25519' -p 40222 -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null root@127.0.0.1",
    );
  });
});
