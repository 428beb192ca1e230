import { describe, expect, it } from "vitest";
import { compileScenarioRegex, scenarioRegexError } from "./scenario-regex.ts";

describe("scenario regexes (RE2 semantics)", () => {
  it("match like RegExp.test on the catalog's kinds of patterns", () => {
    const re = compileScenarioRegex('"Event occurred" .*reason="SandboxChanged"');
    expect(
      re.test('I1204 event.go:291] "Event occurred" object="kube-system/etcd-cp1" reason="SandboxChanged" x'),
    ).toBe(true);
    expect(re.test('"Event occurred" object="x" reason="Started"')).toBe(false);
    expect(
      compileScenarioRegex("^kube-system/etcd-cp1 .*restarts=[1-9]").test(
        "kube-system/etcd-cp1 on cp1 restarts=1",
      ),
    ).toBe(true);
  });

  it("finish on the nested quantifier that froze the harness, over a line no backtracking engine gets through", () => {
    const line = `${"a".repeat(100_000)}!`;
    expect(compileScenarioRegex("(a+)+$").test(line)).toBe(false);
    expect(compileScenarioRegex("(a+)+!$").test(line)).toBe(true);
  });

  it("refuse what RE2 does not take, saying why", () => {
    expect(scenarioRegexError("(a)\\1")).toMatch(/invalid escape sequence/);
    expect(scenarioRegexError("a(?=b)")).toMatch(/unsupported Perl syntax/);
    expect(scenarioRegexError('apparmor="DENIED"')).toBeNull();
  });
});
