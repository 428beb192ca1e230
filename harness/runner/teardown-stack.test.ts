import { describe, expect, it } from "vitest";
import { TeardownStack } from "./teardown-stack.ts";

describe("TeardownStack", () => {
  it("runs teardowns in reverse order, every one, even after a failure or a hang", async () => {
    const order: string[] = [];
    const stack = new TeardownStack();
    stack.push("destroy", () => Promise.resolve(void order.push("destroy")));
    stack.push("hangs", () => new Promise<void>(() => order.push("hangs")));
    stack.push("throws", () => {
      order.push("throws");
      return Promise.reject(new Error("disk full"));
    });
    const results = await stack.runAll(100);
    expect(order).toEqual(["throws", "hangs", "destroy"]);
    expect(results.map((r) => [r.title, r.ok, r.error])).toEqual([
      ["throws", false, "disk full"],
      ["hangs", false, "did not finish within 0s"],
      ["destroy", true, undefined],
    ]);
  });

  it("runs once", async () => {
    let n = 0;
    const stack = new TeardownStack();
    stack.push("count", () => Promise.resolve(void n++));
    await stack.runAll(100);
    expect(await stack.runAll(100)).toEqual([]);
    expect(n).toBe(1);
    expect(stack.done).toBe(true);
  });
});
