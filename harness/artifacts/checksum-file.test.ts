import { describe, expect, it } from "vitest";
import { checksumFor } from "./checksum-file.ts";

const a = "a".repeat(64);
const b = "B".repeat(64);

describe("checksumFor", () => {
  it.each([
    {
      name: "sha256sum line (containerd .sha256sum form)",
      text: `${a}  containerd-1.7.22-linux-amd64.tar.gz\n`,
      file: "containerd-1.7.22-linux-amd64.tar.gz",
      want: a,
    },
    {
      name: "several files (runc.sha256sum form)",
      text: `${b}  runc.arm64\n${a}  runc.amd64\n`,
      file: "runc.amd64",
      want: a,
    },
    {
      name: "binary mode marker",
      text: `${a} *cri-dockerd-0.3.4.amd64.tgz\n`,
      file: "cri-dockerd-0.3.4.amd64.tgz",
      want: a,
    },
    { name: "a path before the name", text: `${a}  ./dist/runc.amd64\n`, file: "runc.amd64", want: a },
    {
      name: "BSD form",
      text: `SHA256 (cni-plugins-linux-amd64-v1.5.1.tgz) = ${b}\n`,
      file: "cni-plugins-linux-amd64-v1.5.1.tgz",
      want: "b".repeat(64),
    },
    { name: "a bare sum", text: `${b}\n`, file: "anything.tgz", want: "b".repeat(64) },
    { name: "not listed", text: `${a}  runc.arm64\n`, file: "runc.amd64", want: null },
    {
      name: "a sum of the wrong length",
      text: `${a.slice(1)}  runc.amd64\n`,
      file: "runc.amd64",
      want: null,
    },
    {
      name: "an HTML error page",
      text: "<html><body>Not Found</body></html>",
      file: "runc.amd64",
      want: null,
    },
  ])("$name", ({ text, file, want }) => {
    expect(checksumFor(text, file)).toBe(want);
  });
});
