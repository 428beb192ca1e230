import { describe, expect, it } from "vitest";
import { knownHostsLine, recordedHostKey, sshArgv } from "./ssh-argv.ts";

describe("ssh argv and known_hosts", () => {
  it("builds a batch-mode ssh call with the harness's own known_hosts", () => {
    expect(
      sshArgv(
        {
          address: "192.0.2.10",
          port: 2222,
          user: "root",
          keyPath: "/k/id",
          knownHostsFile: "/r/cp.known_hosts",
          hostKeyChecking: "accept-new",
          connectTimeoutS: 10,
        },
        "true",
      ),
    ).toEqual([
      "-i",
      "/k/id",
      "-p",
      "2222",
      "-o",
      "BatchMode=yes",
      "-o",
      "IdentitiesOnly=yes",
      "-o",
      "UserKnownHostsFile=/r/cp.known_hosts",
      "-o",
      "StrictHostKeyChecking=accept-new",
      "-o",
      "HashKnownHosts=no",
      "-o",
      "GlobalKnownHostsFile=/dev/null",
      "-o",
      "ConnectTimeout=10",
      "-o",
      "LogLevel=ERROR",
      "root@192.0.2.10",
      "--",
      "true",
    ]);
  });

  it.each([
    { port: 22, line: "192.0.2.10 ssh-ed25519 AAAAkey\n" },
    { port: 2222, line: "[192.0.2.10]:2222 ssh-ed25519 AAAAkey\n" },
  ])("pins a host key on port $port", ({ port, line }) => {
    expect(knownHostsLine("192.0.2.10", port, "ssh-ed25519 AAAAkey\n")).toBe(line);
  });

  it.each([
    {
      name: "the host's key",
      text: "[127.0.0.1]:2222 ssh-ed25519 AAAAkey\n",
      expected: "ssh-ed25519 AAAAkey",
    },
    {
      name: "a comma-separated name list",
      text: "other,[127.0.0.1]:2222 ecdsa-sha2-nistp256 AAAAe\n",
      expected: "ecdsa-sha2-nistp256 AAAAe",
    },
    { name: "another port only", text: "127.0.0.1 ssh-ed25519 AAAAkey\n", expected: null },
    { name: "an empty file", text: "", expected: null },
  ])("reads a recorded host key: $name", ({ text, expected }) => {
    expect(recordedHostKey(text, "127.0.0.1", 2222)).toBe(expected);
  });
});
