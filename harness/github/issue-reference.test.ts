import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.ts";
import { formatIssueReference, parseIssueReference, parseRepository } from "./issue-reference.ts";

describe("parseIssueReference", () => {
  it.each([
    ["kubernetes/kubernetes#123", { owner: "kubernetes", repo: "kubernetes", issueNumber: 123 }],
    ["  a-b/c.d_e#1 ", { owner: "a-b", repo: "c.d_e", issueNumber: 1 }],
    [
      "https://github.com/containerd/containerd/issues/10542",
      { owner: "containerd", repo: "containerd", issueNumber: 10542 },
    ],
    ["https://github.com/o/r/pull/7/", { owner: "o", repo: "r", issueNumber: 7 }],
  ])("accepts %s", (input, expected) => {
    expect(parseIssueReference(input)).toEqual(expected);
  });

  it.each([
    ["kubernetes#1", "is not an issue reference"],
    ["o/r", "is not an issue reference"],
    ["o/r/x#1", "is not an issue reference"],
    ["o/r#0", "is not an issue number"],
    ["o/r#12a", "is not an issue number"],
    ["o/r#-1", "is not an issue number"],
    ["-o/r#1", "is not a GitHub user or organisation name"],
    ["o--x/r#1", "is not a GitHub user or organisation name"],
    ["o/r;rm -rf#1", "is not a GitHub repository name"],
    ["o/..#1", "is not a GitHub repository name"],
    ["o/r%2F..#1", "is not a GitHub repository name"],
    ["https://evil.example/o/r/issues/1", "is not an issue reference"],
  ])("rejects %s", (input, message) => {
    expect(() => parseIssueReference(input)).toThrow(UsageError);
    expect(() => parseIssueReference(input)).toThrow(message);
  });

  it("formats back to owner/repo#number", () => {
    expect(formatIssueReference(parseIssueReference("https://github.com/o/r/issues/9"))).toBe("o/r#9");
  });
});

describe("parseRepository", () => {
  it.each([
    ["o/r", { owner: "o", repo: "r" }],
    ["my-org/repo.js", { owner: "my-org", repo: "repo.js" }],
  ])("accepts %s", (input, expected) => {
    expect(parseRepository(input)).toEqual(expected);
  });

  it.each(["o", "o/r/x", "o/", "/r", "o/r#1", "o o/r"])("rejects %s", (input) => {
    expect(() => parseRepository(input)).toThrow(UsageError);
  });
});
