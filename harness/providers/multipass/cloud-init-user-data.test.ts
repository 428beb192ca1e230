import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { multipassUserData } from "./cloud-init-user-data.ts";

describe("multipassUserData", () => {
  const userData = multipassUserData({
    hostname: "node1",
    authorizedKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIRun run-key\n",
    hostKey: {
      privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----\n",
      publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHost host-key\n",
    },
  });

  it("starts with the #cloud-config marker cloud-init requires", () => {
    expect(userData.startsWith("#cloud-config\n")).toBe(true);
  });

  it("authorizes the run key for root and the default user, pins the host key, sets the hostname", () => {
    expect(parse(userData)).toEqual({
      hostname: "node1",
      manage_etc_hosts: true,
      disable_root: false,
      ssh_pwauth: false,
      ssh_authorized_keys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIRun run-key"],
      ssh_deletekeys: true,
      ssh_keys: {
        ed25519_private:
          "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----\n",
        ed25519_public: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHost host-key",
      },
    });
  });
});
