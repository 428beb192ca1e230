import { describe, expect, it } from "vitest";
import { recorded } from "../probes/testing/probe-fixtures.ts";
import { failureCause } from "./failure-cause.ts";

describe("failureCause", () => {
  it.each([
    {
      name: "a step header followed by runc's error (recorded local-dir run's message)",
      message:
        "node1: exit code 1 after 69ms\n  runc did not terminate successfully: exit status 1: unable to signal init: permission denied: unknown",
      cause:
        "node1: exit code 1 after 69ms: runc did not terminate successfully: exit status 1: unable to signal init: permission denied: unknown",
    },
    {
      name: "kubeadm's [ERROR] line, not its progress or its closing lines (recorded kubeadm v1.21.0 output)",
      message: `cp1: exit code 1 after 6.1s\n${recorded("kubeadm/preflight-error-swap-v1.21.0.txt")}`,
      cause:
        "cp1: exit code 1 after 6.1s: [ERROR Swap]: running with swap on is not supported. Please disable swap",
    },
    {
      name: "a first line that already says why",
      message: "cp1: timed out after 1.0s and was killed\n  waiting for runc init: pipe_write",
      cause: "cp1: timed out after 1.0s and was killed",
    },
    {
      name: "no line with a cause",
      message: "cp1: exit code 3 after 2s\nsomething",
      cause: "cp1: exit code 3 after 2s",
    },
    { name: "nothing", message: "\n \n", cause: "" },
  ])("$name", ({ message, cause }) => {
    expect(failureCause(message)).toBe(cause);
  });

  it("cuts a long line to 300 characters", () => {
    expect(failureCause(`error: ${"x".repeat(1000)}`)).toHaveLength(300);
  });
});
