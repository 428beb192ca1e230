import { describe, expect, it } from "vitest";
import { machineId, parseMachineId } from "./machine-id.ts";

describe("machine ids", () => {
  it.each([
    { runId: "20261123-184212-3f9a1c", node: "node1", id: "h-20261123-184212-3f9a1c-node1" },
    { runId: "20261123-184212-000000", node: "cp-1", id: "h-20261123-184212-000000-cp-1" },
  ])("round-trips $node of run $runId", ({ runId, node, id }) => {
    expect(machineId(runId, node)).toBe(id);
    expect(parseMachineId(id)).toEqual({ runId, node });
  });

  it.each([
    ["a machine someone else made", "primary"],
    ["a name without a node", "h-20261123-184212-3f9a1c"],
    ["a malformed run id", "h-2026-184212-3f9a1c-node1"],
    ["an upper-case node", "h-20261123-184212-3f9a1c-Node1"],
  ])("ignores %s", (_what, id) => {
    expect(parseMachineId(id)).toBeNull();
  });
});
