import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { freeLoopbackPort, isLoopbackPortOpen } from "./free-port.ts";

describe("free loopback ports", () => {
  it("returns a port that can be bound, and sees it open once bound", async () => {
    const port = await freeLoopbackPort();
    expect(port).toBeGreaterThan(0);
    expect(await isLoopbackPortOpen(port)).toBe(false);
    const server = createServer();
    await new Promise<void>((res) => server.listen(port, "127.0.0.1", res));
    expect(await isLoopbackPortOpen(port)).toBe(true);
    await new Promise<void>((res) => server.close(() => res()));
  });
});
