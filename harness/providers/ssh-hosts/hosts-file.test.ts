import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HarnessError } from "../../errors.ts";
import { loadHostsFile, parseHostsFile } from "./hosts-file.ts";

const file = "/etc/harness/hosts.yaml";

function problems(text: string): string {
  try {
    parseHostsFile(file, text);
  } catch (error) {
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe("HOSTS_FILE_INVALID");
    expect((error as HarnessError).hint).toContain(`in ${file}`);
    return (error as HarnessError).message;
  }
  throw new Error("expected the hosts file to be refused");
}

describe("hosts file", () => {
  it("reads the example with defaults and resolved key paths (hosts.example.yaml)", () => {
    const example = join(import.meta.dirname, "hosts.example.yaml");
    const parsed = parseHostsFile(example, readFileSync(example, "utf8"));
    expect(parsed).toEqual({
      hosts: [
        {
          name: "cp",
          address: "192.0.2.10",
          port: 22,
          user: "root",
          keyPath: join(homedir(), ".ssh/id_ed25519"),
          privateIp: "10.10.0.11",
        },
        {
          name: "worker",
          address: "192.0.2.11",
          port: 22,
          user: "root",
          keyPath: join(homedir(), ".ssh/id_ed25519"),
          privateIp: "10.10.0.12",
        },
      ],
      reset: {},
    });
  });

  it("resolves a relative key path against the file and keeps opt-in resets and a pinned host key", () => {
    const parsed = parseHostsFile(
      file,
      [
        "hosts:",
        "  - name: n1",
        "    address: lab-1.example",
        "    port: 2222",
        "    user: admin",
        "    keyPath: keys/lab",
        "    privateIp: 10.0.0.5",
        "    hostKey: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHost",
        "reset:",
        "  create: kubeadm reset -f",
        "  destroy: sudo kubeadm reset -f",
      ].join("\n"),
    );
    expect(parsed.hosts[0]).toMatchObject({
      keyPath: "/etc/harness/keys/lab",
      port: 2222,
      user: "admin",
      hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHost",
    });
    expect(parsed.reset).toEqual({ create: "kubeadm reset -f", destroy: "sudo kubeadm reset -f" });
  });

  it.each([
    {
      name: "a missing key path and a bad private address",
      text: "hosts:\n  - name: n1\n    address: 10.0.0.1\n    privateIp: 10.0.0.300\n",
      expected: [
        "/etc/harness/hosts.yaml:2:5: hosts.0.keyPath: Invalid input: expected string, received undefined",
        "/etc/harness/hosts.yaml:4:16: hosts.0.privateIp: must be an IPv4 address like 10.0.0.11",
      ].join("\n"),
    },
    {
      name: "an unknown field",
      text: "hosts:\n  - name: n1\n    address: 10.0.0.1\n    keyPath: k\n    privateIp: 10.0.0.1\n    pasword: x\n",
      expected: "/etc/harness/hosts.yaml:2:5: hosts.0: unknown field(s) pasword",
    },
    {
      name: "duplicate names",
      text: "hosts:\n  - {name: n1, address: a, keyPath: k, privateIp: 10.0.0.1}\n  - {name: n1, address: b, keyPath: k, privateIp: 10.0.0.2}\n",
      expected: "/etc/harness/hosts.yaml:2:3: hosts: host names must be unique",
    },
    {
      name: "no hosts",
      text: "hosts: []\n",
      expected: "/etc/harness/hosts.yaml:1:8: hosts: must list at least one host",
    },
    {
      name: "broken YAML",
      text: "hosts:\n  - name: [\n",
      expected: expect.stringMatching(/^\/etc\/harness\/hosts\.yaml:\d+:\d+: /) as unknown,
    },
    {
      name: "a host key with a comment",
      text: "hosts:\n  - {name: n1, address: a, keyPath: k, privateIp: 10.0.0.1, hostKey: ssh-ed25519 AAAA root@x}\n",
      expected:
        "/etc/harness/hosts.yaml:2:70: hosts.0.hostKey: must be a public key like `ssh-ed25519 AAAA...` (no comment)",
    },
  ])("refuses $name with file:line:col", ({ text, expected }) => {
    expect(problems(text)).toEqual(expected);
  });

  it("says which file it cannot read", async () => {
    await expect(loadHostsFile("/nonexistent/hosts.yaml")).rejects.toMatchObject({
      code: "HOSTS_FILE_UNREADABLE",
      message: expect.stringContaining("cannot read the hosts file /nonexistent/hosts.yaml") as unknown,
    });
  });
});
