// runc from a host build: what the plan asks the runner to build and upload, and what the node runs; a containerd
// component cannot name a runc build, and an unknown build name is refused by the schema.
import { describe, expect, it } from "vitest";
import { scenarioSchema } from "../scenario/schema.ts";
import { runcBuildNames } from "../builds/runc-build-names.ts";
import { runcBuildRecipes } from "../builds/runc-build-recipe.ts";
import { localRuncPath } from "./data/runc.ts";
import { runcBinaryPath, runcRecipe } from "./runc.ts";
import { kubeScenario, recipeContext } from "./testing/scenario-context.ts";

const withRunc = (source: unknown) =>
  kubeScenario({
    image: "debian-11",
    kubernetes: { version: "1.20.2" },
    runtime: {
      kind: "containerd",
      containerd: { source: { from: "distro" } },
      runc: { source: source as never },
    },
  });

describe("runc from a host build", () => {
  it("asks the runner for the build as a host-build artifact and installs it where containerd's BinaryName points", () => {
    const ctx = recipeContext(withRunc({ from: "build", build: "runc-rc93-unpatched" }));
    const out = runcRecipe.plan(ctx);
    expect(out.artifacts).toEqual([
      {
        kind: "host-build",
        key: "host-build:runc-rc93-unpatched",
        build: "runc-rc93-unpatched",
        summary: runcBuildRecipes["runc-rc93-unpatched"].summary,
      },
    ]);
    const step = out.steps[0]!;
    expect(step.kind === "script" && step.uploads).toEqual([
      {
        artifact: "host-build:runc-rc93-unpatched",
        to: "/var/lib/harness/artifacts/runc/runc-rc93-unpatched",
      },
    ]);
    const body = step.kind === "script" ? step.runs[0]!.script : "";
    expect(body).toContain(
      `install -m 0755 /var/lib/harness/artifacts/runc/runc-rc93-unpatched ${localRuncPath}`,
    );
    expect(runcBinaryPath(ctx.scenario)).toBe(localRuncPath);
  });

  it("has a recipe for every build name, and only the unpatched rc93 lacks the seccomp pipe fix", () => {
    expect(Object.keys(runcBuildRecipes).sort()).toEqual([...runcBuildNames].sort());
    expect(
      Object.values(runcBuildRecipes)
        .filter((r) => !r.readsSeccompPipe)
        .map((r) => r.name),
    ).toEqual(["runc-rc93-unpatched"]);
  });

  it("refuses an unknown build name, naming the field", () => {
    const r = scenarioSchema.safeParse(withRunc({ from: "build", build: "runc-rc92" }));
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(["runtime", "runc", "source", "build"]);
  });

  it("refuses from: build for containerd itself", () => {
    const input = kubeScenario({
      runtime: {
        kind: "containerd",
        containerd: { source: { from: "build", build: "runc-rc93-debian" } as never },
      },
    });
    const r = scenarioSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(["runtime", "containerd", "source", "from"]);
  });
});
