import { describe, expect, it } from "vitest";
import {
  destroyArgv,
  pluginListArgv,
  sshConfigArgv,
  statusArgv,
  upArgv,
  versionArgv,
} from "./vagrant-argv.ts";

describe("vagrant argv", () => {
  it.each([
    {
      name: "up on libvirt is parallel",
      argv: upArgv("libvirt"),
      expected: ["up", "--provider=libvirt", "--parallel", "--no-destroy-on-error", "--no-color"],
    },
    {
      name: "up on virtualbox is not",
      argv: upArgv("virtualbox"),
      expected: ["up", "--provider=virtualbox", "--no-parallel", "--no-destroy-on-error", "--no-color"],
    },
    { name: "ssh-config", argv: sshConfigArgv(), expected: ["ssh-config"] },
    { name: "status", argv: statusArgv(), expected: ["status", "--machine-readable"] },
    { name: "destroy", argv: destroyArgv(), expected: ["destroy", "-f"] },
    { name: "version", argv: versionArgv(), expected: ["--version"] },
    { name: "plugin list", argv: pluginListArgv(), expected: ["plugin", "list"] },
  ])("$name", ({ argv, expected }) => {
    expect(argv).toEqual(expected);
  });
});
