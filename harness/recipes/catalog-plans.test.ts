import { beforeAll, describe, expect, it } from "vitest";
import { formatPlan } from "../plan/format-plan.ts";
import type { Plan } from "../plan/plan.ts";
import { catalogFiles } from "../scenario/catalog.ts";
import { catalogPlans } from "./testing/catalog-plans.ts";

let plans: Plan[] = [];

beforeAll(async () => {
  plans = await catalogPlans();
});

/** A file name for a cell id: `name[axis=value]` -> `name.axis=value`. */
function snapshotName(cellId: string): string {
  return cellId.replace(/\[(.*)\]$/, ".$1").replace(/[^A-Za-z0-9._=,-]/g, "_");
}

describe("`harness plan --scripts` of every catalog cell", () => {
  it("covers every scenario file", async () => {
    const files = await catalogFiles();
    expect(new Set(plans.map((p) => p.file))).toEqual(new Set(files));
  });

  it("matches its snapshot (review changes to recipes in harness/recipes/__snapshots__/)", async () => {
    for (const plan of plans)
      await expect(formatPlan(plan, { scripts: true })).toMatchFileSnapshot(
        `./__snapshots__/${snapshotName(plan.cellId)}.plan.txt`,
      );
  });
});
