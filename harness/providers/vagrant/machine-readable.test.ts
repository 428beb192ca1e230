import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseMachineReadable, parseVagrantStatus } from "./machine-readable.ts";

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, "fixtures", name), "utf8");

describe("parseMachineReadable", () => {
  it("unescapes commas and newlines in data fields (documented format, not recorded: fixtures/status-two-machines-libvirt.txt)", () => {
    const rows = parseMachineReadable(fixture("status-two-machines-libvirt.txt"));
    expect(rows).toHaveLength(11);
    expect(rows[5]).toEqual({
      timestamp: 1763923000,
      target: "h-20261123-184212-3f9a1c-cp",
      type: "state-human-long",
      data: [
        "The Libvirt domain is running. To stop this machine, you can run\n`vagrant halt`. To destroy the machine, you can run\n`vagrant destroy`.",
      ],
    });
    expect(rows[10]).toMatchObject({ target: "", type: "ui" });
    expect(rows[10]?.data[0]).toBe("info");
  });

  it("unescapes a recorded running status (recorded here, Vagrant 2.3.4: fixtures/status-running-libvirt-2.3.4-recorded.txt)", () => {
    const rows = parseMachineReadable(fixture("status-running-libvirt-2.3.4-recorded.txt"));
    expect(rows.map((r) => r.type)).toEqual([
      "metadata",
      "provider-name",
      "state",
      "state-human-short",
      "state-human-long",
      "ui",
    ]);
    expect(rows[4]?.data).toEqual([
      "The Libvirt domain is running. To stop this machine, you can run\n`vagrant halt`. To destroy the machine, you can run `vagrant destroy`.",
    ]);
  });

  it.each([
    { name: "a plugin warning line", text: "Vagrant failed to initialize at a very early stage:\n", rows: 0 },
    { name: "a row with several data fields", text: "1,,box-name,a,b,c\n", rows: 1 },
    { name: "a row with no data", text: "1,m,action\n", rows: 1 },
  ])("keeps only machine-readable rows: $name", ({ text, rows }) => {
    expect(parseMachineReadable(text)).toHaveLength(rows);
  });
});

describe("parseVagrantStatus", () => {
  it.each([
    {
      name: "libvirt running and shutoff (documented format, not recorded: fixtures/status-two-machines-libvirt.txt)",
      text: fixture("status-two-machines-libvirt.txt"),
      expected: [
        { name: "h-20261123-184212-3f9a1c-cp", state: "running", provider: "libvirt" },
        { name: "h-20261123-184212-3f9a1c-worker", state: "shutoff", provider: "libvirt" },
      ],
    },
    {
      name: "virtualbox not created (documented format, not recorded: fixtures/status-not-created-virtualbox.txt)",
      text: fixture("status-not-created-virtualbox.txt"),
      expected: [{ name: "h-20261123-184212-3f9a1c-cp", state: "not_created", provider: "virtualbox" }],
    },
    ...[
      ["running", "status-running-libvirt-2.3.4-recorded.txt"],
      ["shutoff", "status-shutoff-libvirt-2.3.4-recorded.txt"],
      ["not_created", "status-not-created-libvirt-2.3.4-recorded.txt"],
    ].map(([state = "", file = ""]) => ({
      name: `libvirt ${state} (recorded here, Vagrant 2.3.4 + vagrant-libvirt 0.11.2: fixtures/${file})`,
      text: fixture(file),
      expected: [{ name: "h-20261123-190000-abcdef-cp", state, provider: "libvirt" }],
    })),
    {
      name: "provider only in metadata (documented format, not recorded)",
      text: "1,m1,metadata,provider,libvirt\n1,m1,state,preparing\n",
      expected: [{ name: "m1", state: "preparing", provider: "libvirt" }],
    },
  ])("$name", ({ text, expected }) => {
    expect(parseVagrantStatus(text)).toEqual(expected);
  });
});
