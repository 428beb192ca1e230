import { describe, expect, it } from "vitest";
import { redactWrittenText, redactWrittenValue } from "./written-text.ts";

const token = `ghp_${"a1B2".repeat(9)}`;
const env = { GITHUB_TOKEN: "not-a-pattern-but-a-secret-42" };

describe("redactWrittenValue", () => {
  it("redacts every string of a nested value and keeps its JSON valid", () => {
    const value = {
      line: `curl -H 'Authorization: Bearer ${token}"' https://api.github.com`,
      nested: [{ key: "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----" }],
      known: `echo ${env.GITHUB_TOKEN}`,
      count: 3,
    };
    const out = JSON.stringify(redactWrittenValue(value, env));
    expect(() => JSON.parse(out) as unknown).not.toThrow();
    expect(out).not.toContain(token);
    expect(out).not.toContain("abc");
    expect(out).not.toContain(env.GITHUB_TOKEN);
    expect(JSON.parse(out)).toMatchObject({ count: 3 });
  });
});

describe("redactWrittenText", () => {
  it("removes the environment's token and token patterns from plain text", () => {
    const out = redactWrittenText(`a ${token} b ${env.GITHUB_TOKEN} c`, env);
    expect(out).not.toContain(token);
    expect(out).not.toContain(env.GITHUB_TOKEN);
    expect(out).toMatch(/^a .+ b .+ c$/);
  });
});
