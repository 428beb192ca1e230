import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { probeSpec, type ProbeSpec } from "../scenario/probe-schema.ts";
import { probeDefinition, probeDefinitions } from "./registry.ts";
import { contextOf, specOf } from "./testing/probe-fixtures.ts";

/** One spec of every kind, with the optional fields that change the rendered command set. */
const specs: ProbeSpec[] = [
  specOf({ kind: "command", run: "ctr task ls | awk '$1 == \"t1\" {print $3}'" }),
  specOf({ kind: "journal", unit: "kubelet", match: "PLEG is not healthy" }),
  specOf({ kind: "kernel-log", match: 'apparmor="DENIED"' }),
  specOf({ kind: "sysctl", key: "fs.pipe-user-pages-soft" }),
  specOf({ kind: "process", match: "runc init", olderThan: "1m" }),
  specOf({ kind: "node-condition", condition: "Ready" }),
  specOf({ kind: "pod-restarts", namespace: "kube-system", selector: "tier in (control-plane)" }),
  specOf({ kind: "events", reason: "SandboxChanged" }),
  specOf({ kind: "pod-ips", selector: "app=smoke" }),
  specOf({ kind: "preflight" }),
  specOf({ kind: "step", step: "kill" }),
];

describe("probe registry", () => {
  it("has a definition for every kind of the scenario language", () => {
    const kinds = probeSpec.options.map((o) => o.shape.kind.value).sort();
    expect(Object.keys(probeDefinitions).sort()).toEqual(kinds);
    for (const kind of kinds) expect(probeDefinition(kind).kind).toBe(kind);
    expect(specs.map((s) => s.kind).sort()).toEqual(kinds);
  });

  it.each(specs.map((spec) => ({ kind: spec.kind, spec })))(
    "renders a $kind command that bash parses and shellcheck accepts",
    async ({ spec }) => {
      const command = probeDefinition(spec.kind).command(spec, await contextOf());
      if (command === null) return expect(spec.kind).toBe("step");
      await execa("bash", ["-n", "-c", command]);
      const { exitCode, stdout } = await execa("shellcheck", ["-s", "bash", "-"], {
        input: `#!/usr/bin/env bash\n${command}\n`,
        reject: false,
      });
      expect(stdout).toBe("");
      expect(exitCode).toBe(0);
    },
  );
});
