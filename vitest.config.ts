// Test tiers: "fast" runs everywhere in seconds; "vm" boots real QEMU guests and is run by .ci/run after it.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "fast",
          include: ["harness/**/*.test.ts"],
          exclude: ["harness/**/*.vm.test.ts"],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: "vm",
          include: ["harness/**/*.vm.test.ts"],
          testTimeout: 900_000,
          hookTimeout: 900_000,
          pool: "forks",
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
