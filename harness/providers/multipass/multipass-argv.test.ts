import { describe, expect, it } from "vitest";
import { deleteArgv, infoArgv, launchArgv, listArgv, versionArgv } from "./multipass-argv.ts";

describe("multipass argv", () => {
  it.each([
    {
      name: "launch with every resource and a timeout",
      argv: launchArgv({
        name: "h-20261123-184212-3f9a1c-node1",
        image: "24.04",
        cpus: 2,
        memoryMiB: 4096,
        diskGiB: 20,
        cloudInitPath: "/r/user-data.yaml",
        timeoutS: 600,
      }),
      expected: [
        "launch",
        "24.04",
        "--name",
        "h-20261123-184212-3f9a1c-node1",
        "--cpus",
        "2",
        "--memory",
        "4096M",
        "--disk",
        "20G",
        "--cloud-init",
        "/r/user-data.yaml",
        "--timeout",
        "600",
      ],
    },
    {
      name: "info of two instances",
      argv: infoArgv(["a", "b"]),
      expected: ["info", "--format", "json", "a", "b"],
    },
    { name: "list", argv: listArgv(), expected: ["list", "--format", "json"] },
    { name: "delete with purge", argv: deleteArgv(["a"]), expected: ["delete", "--purge", "a"] },
    { name: "version", argv: versionArgv(), expected: ["version"] },
  ])("$name", ({ argv, expected }) => {
    expect(argv).toEqual(expected);
  });
});
