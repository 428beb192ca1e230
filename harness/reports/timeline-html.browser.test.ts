// Opens timeline.html, and summary.md's gantt chart through Mermaid, in real headless Chromium (Debian's chromium).
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../scenario/catalog.ts";
import { parseEvents } from "../timeline/read-events.ts";
import type { RunRecord } from "./run-record.ts";
import { mermaidGantt } from "./mermaid-gantt.ts";
import { timelineHtml } from "./timeline-html.ts";
import { timelineModel } from "./timeline-model.ts";

const chromiumPath = process.env.HARNESS_CHROMIUM ?? "/usr/bin/chromium";
const screenshotDir = path.join(repoRoot, "results", "browser-tests");
const mermaidBundle = path.join(repoRoot, "node_modules", "mermaid", "dist", "mermaid.min.js");

/** The browser globals the page functions use (the project compiles without the DOM lib). */
interface PageGlobals {
  getComputedStyle(el: unknown): { fill: string };
  document: {
    body: { innerHTML: string };
    querySelectorAll(selector: string): ArrayLike<{
      getAttribute(name: string): string | null;
      getBoundingClientRect(): { x: number; width: number; height: number };
    }>;
  };
  mermaid: {
    initialize(options: object): void;
    parse(text: string): Promise<unknown>;
    render(id: string, text: string): Promise<{ svg: string }>;
  };
}

let browser: BrowserContext;
let profile: string;

beforeAll(async () => {
  if (!existsSync(chromiumPath))
    throw new Error(`${chromiumPath} is missing: apt-get install chromium (or set HARNESS_CHROMIUM)`);
  profile = await mkdtemp(path.join(tmpdir(), "chromium-profile-"));
  // The profile directory is Chromium's --user-data-dir (playwright passes it as that flag).
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  // Starting Chromium beside the other test files on a busy 2-core host took over vitest's default 10 s hook limit.
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

function fixture(name: string) {
  const dir = path.join(import.meta.dirname, "fixtures", name);
  const record = JSON.parse(readFileSync(path.join(dir, "run.json"), "utf8")) as RunRecord;
  const events = parseEvents(readFileSync(path.join(dir, "events.ndjson"), "utf8"));
  return { record, events };
}

describe("timeline.html in headless Chromium (recorded local-dir runs)", () => {
  it.each([
    { name: "recorded-step-timeout", failedStep: "workload/exec-in-container" },
    { name: "recorded-apparmor-like", failedStep: null },
  ])("$name renders a lane per machine and highlights failed steps", async ({ name, failedStep }) => {
    const { record, events } = fixture(name);
    await mkdir(screenshotDir, { recursive: true });
    const file = path.join(screenshotDir, `${name}.html`);
    await writeFile(file, timelineHtml(record, events));
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(`file://${file}`);

    const lanes = await page.evaluate(() =>
      Array.from((globalThis as unknown as PageGlobals).document.querySelectorAll("g.lane")).map((g) => ({
        lane: g.getAttribute("data-lane"),
        height: g.getBoundingClientRect().height,
      })),
    );
    expect(lanes.map((l) => l.lane)).toEqual(timelineModel(events).lanes);
    for (const l of lanes) expect(l.height).toBeGreaterThan(10);
    expect(await page.locator("#verdict").textContent()).toBe(record.verdict);

    const failed = page.locator("g.span.failed rect");
    if (failedStep === null) {
      expect(await failed.count()).toBe(0);
    } else {
      expect(await page.locator("g.span.failed").first().getAttribute("data-step")).toBe(failedStep);
      const box = await failed.first().boundingBox();
      expect(box?.width).toBeGreaterThan(20);
      expect(
        await failed.first().evaluate((r) => (globalThis as unknown as PageGlobals).getComputedStyle(r).fill),
      ).toBe("rgb(230, 57, 70)");
      await failed.first().hover();
      await expect.poll(() => page.locator("#tip").textContent()).toContain("timed out after");
      expect(await page.locator("#tip").isVisible()).toBe(true);
    }
    await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
    expect(requests).toEqual([`file://${file}`]);
    await page.close();
  });
});

describe("timeline.html: where things happen, at a glance (recorded runs)", () => {
  async function open(name: string, width: number) {
    const { record, events } = fixture(name);
    await mkdir(screenshotDir, { recursive: true });
    const file = path.join(screenshotDir, `${name}.${width}.html`);
    await writeFile(file, timelineHtml(record, events));
    const page = await browser.newPage();
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`file://${file}`);
    return { page, record };
  }

  it("recorded-step-timeout: the failed step is listed first, wide in the focus chart, and its output is open", async () => {
    const { page } = await open("recorded-step-timeout", 1280);
    expect(await page.locator("ul.problems li.failed").first().textContent()).toContain(
      "workload/exec-in-container timed-out on cp1",
    );
    const failed = page.locator("svg.chart g.span.failed rect").first();
    expect((await failed.boundingBox())?.width).toBeGreaterThan(300);
    expect(await page.locator("details.step[open]").first().textContent()).toContain("timed out after");
    await page.screenshot({
      path: path.join(screenshotDir, "recorded-step-timeout.focus.png"),
      fullPage: true,
    });
    await page.close();
  });

  it.each([900, 1280])("at a %i px wide window, no chart runs off the right edge", async (width) => {
    const { page } = await open("recorded-apparmor-like", width);
    for (const id of ["#timeline"]) {
      const box = await page.locator(id).boundingBox();
      expect(box?.x).toBeDefined();
      expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(width);
    }
    const pre = await page.locator("#evidence pre").boundingBox();
    expect((pre?.x ?? 0) + (pre?.width ?? 0)).toBeLessThanOrEqual(width);
    await page.close();
  });

  it("recorded-qemu-cgroup-driver-mismatch: each evidence mark sits inside the step it was logged during", async () => {
    const { page, record } = await open("recorded-qemu-cgroup-driver-mismatch", 1280);
    const marks = await page.evaluate(() =>
      Array.from(
        (globalThis as unknown as PageGlobals).document.querySelectorAll("#focus g.evidence-mark"),
      ).map((g) => ({ detail: g.getAttribute("data-detail") ?? "", box: g.getBoundingClientRect() })),
    );
    expect(marks.length).toBeGreaterThan(0);
    for (const m of marks) {
      const step = /during (\S+):/.exec(m.detail)?.[1];
      expect(step, m.detail).toBeDefined();
      const span = await page.locator(`#focus g.span[data-step="${step}"] rect`).first().boundingBox();
      const x = m.box.x + m.box.width / 2;
      expect(x).toBeGreaterThanOrEqual((span?.x ?? 0) - 1);
      expect(x).toBeLessThanOrEqual((span?.x ?? 0) + (span?.width ?? 0) + 1);
    }
    expect(await page.locator("a[href^='https://']").count()).toBe(record.links.length);
    await page.screenshot({
      path: path.join(screenshotDir, "recorded-qemu-cgroup-driver-mismatch.png"),
      fullPage: true,
    });
    await page.close();
  });
});

describe("summary.md's gantt chart rendered by Mermaid 11 in headless Chromium (recorded local-dir runs)", () => {
  it.each(["recorded-step-timeout", "recorded-apparmor-like"])(
    "%s parses and renders a bar per step",
    async (name) => {
      const { record, events } = fixture(name);
      const model = timelineModel(events);
      const gantt = mermaidGantt(model, record.cellId);
      const file = path.join(screenshotDir, `${name}.gantt.html`);
      await mkdir(screenshotDir, { recursive: true });
      await writeFile(
        file,
        `<!doctype html><meta charset="utf-8"><script src="file://${mermaidBundle}"></script><body></body>`,
      );
      const page = await browser.newPage();
      await page.goto(`file://${file}`);
      const result = await page.evaluate(async (text) => {
        const { mermaid: m, document } = globalThis as unknown as PageGlobals;
        m.initialize({ startOnLoad: false });
        await m.parse(text);
        const { svg } = await m.render("gantt", text);
        document.body.innerHTML = svg;
        return {
          bars: document.querySelectorAll("rect.task").length,
          crit: document.querySelectorAll("rect.crit, rect[class*='crit']").length,
        };
      }, gantt);
      const spans = [...model.spans.values()].flat();
      expect(result.bars).toBe(spans.length);
      expect(result.crit).toBe(spans.filter((s) => s.failed).length);
      await page.screenshot({ path: path.join(screenshotDir, `${name}.gantt.png`), fullPage: true });
      await page.close();
    },
  );
});
