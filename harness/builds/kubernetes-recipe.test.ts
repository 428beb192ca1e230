import { describe, expect, it } from "vitest";
import { kubernetesRecipeHash } from "./kubernetes-build.ts";
import { kubernetes1202 } from "./kubernetes-recipe.ts";

describe("kubernetesRecipeHash", () => {
  it("is stable for the same recipe", async () => {
    expect(await kubernetesRecipeHash(kubernetes1202)).toBe(
      await kubernetesRecipeHash({ ...kubernetes1202 }),
    );
  });

  it.each([
    ["the source tarball", { source: { ...kubernetes1202.source, sha256: "0".repeat(64) } }],
    [
      "the toolchain",
      {
        toolchain: [
          kubernetes1202.toolchain[0]!,
          { ...kubernetes1202.toolchain[1]!, sha256: "1".repeat(64) },
        ],
      },
    ],
    ["the version stamp", { version: "v1.20.3" }],
    ["the build date stamp", { buildDate: "2021-01-14T00:00:00Z" }],
  ])("changes with %s", async (_what, change) => {
    expect(await kubernetesRecipeHash({ ...kubernetes1202, ...change })).not.toBe(
      await kubernetesRecipeHash(kubernetes1202),
    );
  });
});
