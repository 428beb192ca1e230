import { describe, expect, it } from "vitest";
import { redactSecrets } from "./redact.ts";

const ghp = `ghp_${"A1b2C3d4E5".repeat(3)}123456`;
const pat = `github_pat_11ABCDEFG0${"x".repeat(60)}`;
const key = [
  "-----BEGIN OPENSSH PRIVATE KEY-----",
  "b3BlbnNzaC1rZXktdjEAAAAA",
  "-----END OPENSSH PRIVATE KEY-----",
].join("\n");

describe("redactSecrets", () => {
  it.each([
    ["a classic GitHub token", `token is ${ghp} ok`, "token is [REDACTED GitHub token] ok"],
    ["an OAuth token", `gho_${"a".repeat(36)}`, "[REDACTED GitHub token]"],
    ["an app installation token", `x ghs_${"Z".repeat(36)} y`, "x [REDACTED GitHub token] y"],
    ["a user-to-server token", `ghu_${"9".repeat(36)}`, "[REDACTED GitHub token]"],
    ["a fine-grained token", `GH_TOKEN=${pat}`, "GH_TOKEN=[REDACTED GitHub token]"],
    ["an AWS access key id", "AKIAIOSFODNN7EXAMPLE", "[REDACTED AWS access key]"],
    [
      "an AWS secret key",
      "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      "aws_secret_access_key = [REDACTED AWS secret key]",
    ],
    ["a bearer credential", "curl -H 'Bearer abc.def-ghi_jkl'", "curl -H 'Bearer [REDACTED credential]'"],
    [
      "an authorization header",
      "authorization: token sekrit123456",
      "authorization: token [REDACTED credential]",
    ],
    [
      "a password in a URL",
      "https://user:hunter22@example.com/x",
      "https://user:[REDACTED credential]@example.com/x",
    ],
    ["a private key block", `before\n${key}\nafter`, "before\n[REDACTED private key]\nafter"],
    ["a private key cut short", "-----BEGIN RSA PRIVATE KEY-----\nMIIEow", "[REDACTED private key]"],
    [
      "kubeadm's join command (kubeadm 1.20 init output, as this harness recorded it)",
      "kubeadm join 10.200.0.11:6443 --token ys87d5.u5y100yu13lt7v35 \\\n    --discovery-token-ca-cert-hash sha256:d3f515909a81863a13d778f0a82332b28495da0",
      "kubeadm join 10.200.0.11:6443 --token [REDACTED kubeadm token] \\\n    --discovery-token-ca-cert-hash sha256:d3f515909a81863a13d778f0a82332b28495da0",
    ],
    [
      "kubeadm init's bootstrap-token line (kubeadm 1.20, as this harness recorded it)",
      "[bootstrap-token] Using token: ys87d5.u5y100yu13lt7v35",
      "[bootstrap-token] Using token: [REDACTED kubeadm token]",
    ],
    ["a kubeadm config's token", '  token: "abcdef.0123456789abcdef"', '  token: "[REDACTED kubeadm token]"'],
    [
      "a control-plane join's certificate key",
      `--control-plane --certificate-key ${"0f".repeat(32)}`,
      "--control-plane --certificate-key [REDACTED kubeadm certificate key]",
    ],
    [
      "nothing in an event name of the same shape",
      "default/Node/worker1 worker.18edea2c963d6069 Starting",
      "default/Node/worker1 worker.18edea2c963d6069 Starting",
    ],
  ])("redacts %s", (_name, input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it.each([
    ["ordinary words", "the token expired; bearer of bad news; ghp_short"],
    ["a sha256", "sha256 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"],
    ["a kubeadm line", "[kubelet-start] Writing kubelet configuration to file"],
  ])("leaves %s alone", (_name, input) => {
    expect(redactSecrets(input)).toBe(input);
  });

  it("redacts a known secret wherever it appears, whatever its shape", () => {
    expect(redactSecrets("a plain-s3cret-value and plain-s3cret-value", ["plain-s3cret-value"])).toBe(
      "a [REDACTED secret] and [REDACTED secret]",
    );
  });

  it("redacts the header Octokit would log with a real token", () => {
    const out = redactSecrets(`authorization: token ${ghp}`, [ghp]);
    expect(out).not.toContain(ghp);
    expect(out).toBe("authorization: token [REDACTED secret]");
  });
});

describe("redactSecrets with encoded forms of a known secret", () => {
  const secret = "s3cr3t-Value/with+odd~chars-0123456789";
  it.each([0, 1, 2, 3, 4])(
    "finds it base64-encoded after %i bytes of other data, standard and URL-safe",
    (n) => {
      const stream = Buffer.from(`${"p".repeat(n)}${secret}tail`).toString("base64");
      for (const encoded of [stream, stream.replace(/\+/g, "-").replace(/\//g, "_")]) {
        const out = redactSecrets(`auth: ${encoded}`, [secret]);
        expect(out).toContain("[REDACTED secret]");
        // What is left of the stream cannot give the secret back.
        const rest = out.replace(/\[REDACTED secret\]/g, " ").split(/[\s:]+/);
        for (const piece of rest)
          expect(Buffer.from(piece.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString()).not.toContain(
            secret.slice(4, 20),
          );
      }
    },
  );

  it("finds it URL-encoded", () => {
    const url = `https://example.org/?token=${encodeURIComponent(secret)}&x=1`;
    expect(redactSecrets(url, [secret])).toBe("https://example.org/?token=[REDACTED secret]&x=1");
  });
});
