import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ScenarioError, UsageError } from "../errors.ts";
import { loadScenario } from "./load.ts";
import { cellId, expandMatrix, filterCells } from "./matrix.ts";

const base = await readFile(path.join(import.meta.dirname, "fixtures", "valid-minimal.yaml"), "utf8");

async function load(matrix: string) {
  const dir = await mkdtemp(path.join(tmpdir(), "harness-matrix-"));
  const file = path.join(dir, "m.yaml");
  await writeFile(file, `${base}${matrix}`);
  return loadScenario(file);
}

const twoAxes = `matrix:
  axes:
    os:
      path: image
      values: [debian-12, debian-13]
    containerd:
      path: runtime.containerd.source
      values:
        - label: "1.6.20"
          value: {from: apt, repo: debian-bookworm, package: containerd, version: "1.6.20~ds1-1+deb12u*"}
          set: {expect.verdict: reproduced}
        - label: "1.7.24"
          value: {from: distro}
`;

describe("expandMatrix", () => {
  it("gives a scenario without a matrix one cell named after it", async () => {
    const cells = expandMatrix(await load(""));
    expect(cells.map((c) => c.id)).toEqual(["fixture"]);
  });

  it("expands axes in order into cells with stable ids and applies values and extra overrides", async () => {
    const cells = expandMatrix(await load(twoAxes));
    expect(cells.map((c) => c.id)).toEqual([
      "fixture[os=debian-12,containerd=1.6.20]",
      "fixture[os=debian-12,containerd=1.7.24]",
      "fixture[os=debian-13,containerd=1.6.20]",
      "fixture[os=debian-13,containerd=1.7.24]",
    ]);
    const first = cells[0]!.scenario;
    expect(first.image).toBe("debian-12");
    expect(first.runtime.kind === "containerd" && first.runtime.containerd.source).toMatchObject({
      from: "apt",
      version: "1.6.20~ds1-1+deb12u*",
    });
    expect(first.expect.verdict).toBe("reproduced");
    expect(cells[1]!.scenario.expect.verdict).toBe("healthy");
  });

  it("drops excluded cells (partial match) and adds or extends included ones", async () => {
    const cells = expandMatrix(
      await load(`${twoAxes}  exclude:
    - os: debian-12
  include:
    - os: debian-13
      containerd: "1.7.24"
      set: {observe.duration: 2m}
`),
    );
    expect(cells.map((c) => c.id)).toEqual([
      "fixture[os=debian-13,containerd=1.6.20]",
      "fixture[os=debian-13,containerd=1.7.24]",
    ]);
    expect(cells[1]!.scenario.observe.duration).toBe("2m");
    expect(cells[0]!.scenario.observe.duration).toBe("60s");
  });

  it("reports an exclude that names a value the axis does not have", async () => {
    try {
      expandMatrix(await load(`${twoAxes}  exclude:\n    - os: debian-11\n`));
      expect.fail("expected a ScenarioError");
    } catch (err) {
      expect(err).toBeInstanceOf(ScenarioError);
      expect((err as ScenarioError).message).toContain(
        'matrix.exclude[0].os: axis os has no value "debian-11" (values: debian-12, debian-13)',
      );
    }
  });

  it("refuses axes over name or matrix", async () => {
    const loaded = await load(`matrix:\n  axes:\n    n:\n      path: name\n      values: [a, b]\n`);
    expect(() => expandMatrix(loaded)).toThrow(/an axis cannot set name/);
  });
});

describe("cellId", () => {
  it("joins labels in axis order", () => {
    expect(cellId("s", { os: "ubuntu-22.04", containerd: "1.7.22" })).toBe(
      "s[os=ubuntu-22.04,containerd=1.7.22]",
    );
    expect(cellId("s", {})).toBe("s");
  });
});

describe("filterCells", () => {
  it("selects by exact cell id and by axis=value filters", async () => {
    const cells = expandMatrix(await load(twoAxes));
    expect(filterCells(cells, { cell: "fixture[os=debian-13,containerd=1.6.20]" }).map((c) => c.id)).toEqual([
      "fixture[os=debian-13,containerd=1.6.20]",
    ]);
    expect(filterCells(cells, { filters: ["containerd=1.7.24"] }).map((c) => c.labels.os)).toEqual([
      "debian-12",
      "debian-13",
    ]);
    expect(filterCells(cells, { filters: ["containerd=1.7.24", "os=debian-12"] })).toHaveLength(1);
  });

  it("explains an empty selection with the list of cells", async () => {
    const cells = expandMatrix(await load(twoAxes));
    expect(() => filterCells(cells, { filters: ["os=ubuntu-24.04"] })).toThrow(UsageError);
    expect(() => filterCells(cells, { filters: ["os"] })).toThrow(/expected axis=value/);
  });
});
