import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadImageEntry } from "./image-catalog.ts";
import { imageNames } from "./image-names.ts";

describe("image catalog", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "catalog-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(imageNames)("the repository's images/%s.yaml is valid", async (name) => {
    const entry = await loadImageEntry(name);
    expect(entry.name).toBe(name);
    expect(entry.kind).toBe(name.startsWith("ubuntu") ? "cloud-download" : "debian-build");
  });

  it.each([
    {
      name: "missing field",
      text: "name: debian-13\nkind: debian-build\nmirror: http://x/\n",
      error: /suite/,
    },
    { name: "unknown kind", text: "name: debian-13\nkind: iso\n", error: /kind/ },
    {
      name: "name mismatch",
      text: "name: debian-12\nkind: debian-build\nsuite: trixie\nmirror: http://x/\n",
      error: /expected debian-13/,
    },
    {
      name: "bad package name",
      text: "name: debian-13\nkind: debian-build\nsuite: trixie\nmirror: http://x/\npackages: ['rm -rf']\n",
      error: /packages/,
    },
  ])("rejects a file with a $name", async ({ text, error }) => {
    await writeFile(join(dir, "debian-13.yaml"), text);
    await expect(loadImageEntry("debian-13", dir)).rejects.toThrow(error);
  });

  it("says which file is missing", async () => {
    await expect(loadImageEntry("ubuntu-22.04", dir)).rejects.toThrow(
      /no catalog file for image ubuntu-22.04/,
    );
  });
});
