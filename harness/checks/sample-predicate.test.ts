import { describe, expect, it } from "vitest";
import { checkSpec } from "../scenario/check-schema.ts";
import { satisfies } from "./sample-predicate.ts";

const check = (c: Record<string, unknown>) => checkSpec.parse({ probe: "p", ...c });

describe("satisfies", () => {
  it.each([
    { name: "no predicate: non-zero number", c: {}, value: 2, evidence: [], ok: true },
    { name: "no predicate: zero", c: {}, value: 0, evidence: [], ok: false },
    { name: "no predicate: non-empty text", c: {}, value: "RUNNING", evidence: [], ok: true },
    { name: "no predicate: blank text", c: {}, value: "  ", evidence: [], ok: false },
    { name: "no predicate: true", c: {}, value: true, evidence: [], ok: true },
    { name: "no predicate: false", c: {}, value: false, evidence: [], ok: false },
    { name: "null never satisfies", c: {}, value: null, evidence: ["x"], ok: false },
    { name: "null never satisfies atMost", c: { atMost: 0 }, value: null, evidence: [], ok: false },
    { name: "atLeast met", c: { atLeast: 1 }, value: 1, evidence: [], ok: true },
    { name: "atLeast missed", c: { atLeast: 2 }, value: 1, evidence: [], ok: false },
    { name: "atLeast on numeric text", c: { atLeast: 16384 }, value: "16384", evidence: [], ok: true },
    { name: "atLeast on other text", c: { atLeast: 1 }, value: "many", evidence: [], ok: false },
    { name: "atMost met", c: { atMost: 0 }, value: 0, evidence: [], ok: true },
    { name: "atMost missed", c: { atMost: 0 }, value: 3, evidence: [], ok: false },
    { name: "range met", c: { atLeast: 1, atMost: 3 }, value: 2, evidence: [], ok: true },
    { name: "range missed", c: { atLeast: 1, atMost: 3 }, value: 4, evidence: [], ok: false },
    { name: "equals text", c: { equals: "RUNNING" }, value: "RUNNING", evidence: [], ok: true },
    { name: "equals text differs", c: { equals: "RUNNING" }, value: "STOPPED", evidence: [], ok: false },
    { name: "equals number vs number", c: { equals: 0 }, value: 0, evidence: [], ok: true },
    { name: "equals number vs stdout text", c: { equals: 1 }, value: "1", evidence: [], ok: true },
    { name: "equals boolean", c: { equals: true }, value: true, evidence: [], ok: true },
    { name: "matches the value", c: { matches: "^Fal" }, value: "False", evidence: [], ok: true },
    {
      name: "matches an evidence line",
      c: { matches: "unable to signal init.*permission denied" },
      value: 1,
      evidence: ["TASK PID STATUS", "ctr: unable to signal init: permission denied"],
      ok: true,
    },
    { name: "matches nothing", c: { matches: "denied" }, value: 0, evidence: ["t1 STOPPED"], ok: false },
    {
      name: "notMatches: nothing matches",
      c: { notMatches: "permission denied" },
      value: 0,
      evidence: ["t1 STOPPED"],
      ok: true,
    },
    {
      name: "notMatches: an evidence line matches",
      c: { notMatches: "permission denied" },
      value: 0,
      evidence: ["ctr: unable to signal init: permission denied"],
      ok: false,
    },
    {
      name: "notMatches: the value matches",
      c: { notMatches: "^Fal" },
      value: "False",
      evidence: [],
      ok: false,
    },
    {
      name: "notMatches never holds on a failed sample",
      c: { notMatches: "x" },
      value: null,
      evidence: [],
      ok: false,
    },
    {
      name: "every predicate must hold",
      c: { equals: 1, matches: "denied" },
      value: 1,
      evidence: ["ok"],
      ok: false,
    },
  ])("$name", ({ c, value, evidence, ok }) => {
    expect(satisfies(check(c), { value, evidence })).toBe(ok);
  });
});
