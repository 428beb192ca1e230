import { describe, expect, it } from "vitest";
import type { Provider } from "./provider.ts";
import { createProvider, detectProviders, providerNames } from "./registry.ts";

/** A provider whose detection answers from a table (no processes: this tests the registry, not a provider). */
function tableProvider(name: string, available: boolean | Error): Provider {
  return {
    name,
    detect: () =>
      available instanceof Error
        ? Promise.reject(available)
        : Promise.resolve({ available, reason: `${name} says ${available}` }),
    create: () => Promise.reject(new Error("not used")),
    list: () => Promise.resolve([]),
    destroy: () => Promise.resolve(),
    collectLogs: () => Promise.resolve([]),
  };
}

describe("provider registry", () => {
  it.each(["qemu", "multipass", "vagrant"])("creates %s by name", (name) => {
    expect(createProvider(name).name).toBe(name);
  });

  it.each([
    { name: "ssh", error: /needs a hosts file/ },
    { name: "docker", error: /unknown provider "docker"/ },
  ])("refuses $name without what it needs", ({ name, error }) => {
    expect(() => createProvider(name)).toThrow(error);
  });

  it("knows its names", () => {
    expect(providerNames).toEqual(["qemu", "multipass", "vagrant", "ssh"]);
  });

  it("detects every provider, turning a throwing detection into a reason", async () => {
    const table: Record<string, boolean | Error> = {
      qemu: true,
      multipass: false,
      vagrant: new Error("boom"),
      ssh: true,
    };
    const found = await detectProviders({}, (name) => tableProvider(name, table[name] ?? false));
    expect(found).toEqual([
      { name: "qemu", available: true, reason: "qemu says true" },
      { name: "multipass", available: false, reason: "multipass says false" },
      { name: "vagrant", available: false, reason: "boom" },
      { name: "ssh", available: false, reason: "needs a hosts file of existing machines (--hosts-file)" },
    ]);
  });
});
