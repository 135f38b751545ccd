import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import puppeteer, { type Browser, type ElementHandle } from "puppeteer-core";
import { test, expect } from "@playwright/test";

/**
 * The offline viewer and a snapshot in Firefox (Debian's firefox-esr, driven over WebDriver
 * BiDi by puppeteer-core: Playwright's Firefox is a patched build that cannot be installed
 * here). Opened from file://, they may load nothing but file:, data: and blob: URLs.
 */
const FIREFOX = process.env.FIREFOX ?? "/usr/bin/firefox-esr";
const VIEWER = fileURLToPath(new URL("../dist/ucsnoop.html", import.meta.url));
const SAMPLE = ["expressway-e.log", "expressway-c.log", "jabber.log"].map((f) =>
  fileURLToPath(new URL(`../public/samples/mra-oauth/${f}`, import.meta.url)),
);

type FirefoxPage = Awaited<ReturnType<Browser["newPage"]>>;

/**
 * Polls with evaluate: puppeteer's waitForFunction and waitForSelector build their predicate with
 * Function(), which the page's CSP forbids in Firefox ESR 140 (evaluate runs outside it).
 */
async function until(page: FirefoxPage, predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(predicate))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${predicate.toString()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function open(url: string, act?: (page: FirefoxPage) => Promise<void>) {
  // The window's own size, not setViewport: Firefox ESR 140's BiDi lacks the screen-orientation
  // command puppeteer's setViewport sends.
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX,
    headless: true,
    defaultViewport: null,
    args: ["--width=1280", "--height=720"],
  });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    const schemes = new Set<string>();
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("request", (r) => schemes.add(r.url().split(":")[0]!));
    await page.goto(url);
    // As in Chromium (e2e/app.ts): act once the page's idle hook says it has started.
    await until(page, () => "ucsnoop" in window);
    await page.evaluate(() =>
      (window as unknown as { ucsnoop: { whenIdle(): Promise<void> } }).ucsnoop.whenIdle(),
    );
    await act?.(page);
    await until(page, () => document.querySelector('[data-testid="message"]') !== null);
    const messages = await page.evaluate(async () => {
      const w = window as unknown as {
        ucsnoop: { whenIdle(): Promise<void>; model(): Promise<{ messages: unknown[] }> };
      };
      await w.ucsnoop.whenIdle();
      return (await w.ucsnoop.model()).messages.length;
    });
    return { messages, errors, schemes: [...schemes].filter((s) => !["file", "data", "blob"].includes(s)) };
  } finally {
    await browser.close();
  }
}

test("a snapshot opens from disk in Firefox with no network", async ({ browserName: _browserName }, info) => {
  test.setTimeout(90_000);
  const out = info.outputPath("snapshot.html");
  execFileSync(process.execPath, ["cli/bin.mjs", "snapshot", ...SAMPLE, "-o", out], { stdio: "pipe" });
  const seen = await open(`file://${out}`);
  expect(seen).toEqual({ messages: 23, errors: [], schemes: [] });
});

test("the offline viewer opens from disk in Firefox and parses dropped logs", async () => {
  test.setTimeout(90_000);
  const seen = await open(`file://${VIEWER}`, async (page) => {
    const input = (await page.$('input[data-testid="file-input"]')) as ElementHandle<HTMLInputElement> | null;
    await input!.uploadFile(...SAMPLE);
  });
  expect(seen).toEqual({ messages: 23, errors: [], schemes: [] });
});

test("the offline viewer reads big drops in Firefox (files a served page's pool would parse)", async ({
  browserName: _browserName,
}, info) => {
  test.setTimeout(90_000);
  // The Expressway logs repeated past 256 KiB (what a served page's pool takes): the offline
  // viewer has no pool (web/single/worker.ts) and must read them all the same.
  const files = SAMPLE.map((path, i) => {
    if (i === 2) return path;
    const bytes = readFileSync(path);
    const out = info.outputPath(basename(path));
    writeFileSync(out, Buffer.concat(Array(Math.ceil((300 * 1024) / bytes.length)).fill(bytes)));
    return out;
  });
  const stats = JSON.parse(execFileSync(process.execPath, ["cli/bin.mjs", "stats", ...files]).toString());
  const seen = await open(`file://${VIEWER}`, async (page) => {
    const input = (await page.$('input[data-testid="file-input"]')) as ElementHandle<HTMLInputElement> | null;
    await input!.uploadFile(...files);
  });
  expect(stats.messages).toBeGreaterThan(23);
  expect(seen).toEqual({ messages: stats.messages, errors: [], schemes: [] });
});
