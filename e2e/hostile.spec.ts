import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test, expect, type App } from "./app.ts";
import * as hostile from "../parsers/testing/hostile.ts";

/**
 * Hostile files dropped on the page (issue #8): each gets a clear message on its own card, the
 * good file beside it still parses into its ladder, and the page keeps answering.
 */

const buffer = (name: string, bytes: Uint8Array) => ({
  name,
  mimeType: "application/octet-stream",
  buffer: Buffer.from(bytes),
});

async function goodLadder(app: App): Promise<string[]> {
  await app.page.getByTestId("file-input").setInputFiles([buffer(hostile.GOOD_NAME, hostile.good())]);
  await app.idle();
  return ladder(app);
}

async function ladder(app: App): Promise<string[]> {
  const m = await app.model();
  return m.messages.map((x) => `${x.time} ${x.from} ${x.to} ${x.label}`);
}

const card = (app: App, name: string) => app.page.locator(`[data-testid="file"][data-file="${name}"]`);

test("empty, binary, UTF-16, mixed-encoding and damaged or hostile archives: a message each", async ({
  app,
}) => {
  await app.open("?sample=mra-oauth");
  const expected = await goodLadder(app);
  const goodModel = await app.model();
  const lines = hostile.jabberText();
  await app.page
    .getByTestId("file-input")
    .setInputFiles([
      buffer("empty.log", new Uint8Array(0)),
      buffer("screenshot.png", hostile.binary()),
      buffer("jabber-le.log", hostile.utf16(lines, false)),
      buffer("jabber-be.log", hostile.utf16(lines, true)),
      buffer("jabber-mixed.log", hostile.mixedEncoding()),
      buffer("cut.log.gz", hostile.truncatedGzip()),
      buffer("cut.zip", hostile.truncatedZip()),
      buffer("bomb.zip", hostile.zipBomb()),
      buffer("nested.zip", hostile.nestedTenDeep()),
      buffer(hostile.GOOD_NAME, hostile.good()),
    ]);
  await app.idle();
  await expect(card(app, "empty.log")).toContainText("empty file: nothing to read");
  await expect(card(app, "screenshot.png")).toContainText("binary file: not a text log, skipped");
  for (const name of ["jabber-le.log", "jabber-be.log", "jabber-mixed.log"])
    await expect(card(app, name).getByLabel(`Source of ${name}`)).toHaveValue("jabber");
  await expect(card(app, "cut.log.gz")).toContainText("cut.log.gz: truncated: kept the");
  await expect(card(app, "cut.zip")).toContainText("no central directory (truncated?)");
  await expect(card(app, "bomb.zip/a.log")).toContainText("skipped: compression ratio over the limit");
  await expect(card(app, "nested.zip")).toContainText("archive nested deeper than 4 levels: not expanded");
  const model = await app.model();
  // The three Jabber re-encodings read as the UTF-8 original does (the CLI test compares their
  // ladders one by one; here they share one model, so their records and events are compared).
  const counts = (name: string) => {
    const f = model.files.find((x) => x.name === name)!;
    return { records: f.records, unparsed: f.unparsedLines, encoding: f.encoding };
  };
  expect(counts("jabber-le.log")).toEqual({ records: 5, unparsed: 0, encoding: "utf-16le" });
  expect(counts("jabber-be.log")).toEqual({ records: 5, unparsed: 0, encoding: "utf-16be" });
  expect(counts("jabber-mixed.log")).toEqual({ records: 5, unparsed: 0, encoding: "utf-8" });
  // The good file reads as it does alone (its messages merge with the Jabber copies' here).
  const alone = goodModel.files[0]!;
  const beside = model.files.find((f) => f.name === hostile.GOOD_NAME)!;
  expect([beside.records, beside.lines, beside.unparsedLines]).toEqual([
    alone.records,
    alone.lines,
    alone.unparsedLines,
  ]);
  expect(expected.length).toBeGreaterThan(5);
  await app.screenshot("hostile-files");
});

test("a 100 MB file with no newline and a 1 GB log stream through; the page answers meanwhile", async ({
  app,
}) => {
  test.setTimeout(120_000);
  await app.open("?sample=mra-oauth");
  const expected = await goodLadder(app);
  const good = Buffer.from(hostile.good()).toString("latin1");
  const hex = Buffer.from(hostile.unknownLines(1 << 20)).toString("latin1");
  // Built in the page from repeated parts: the blobs are references, never 1 GB of memory here.
  await app.page.evaluate(
    ({ good, hex, name }) => {
      const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
      const mib = new Blob([new Uint8Array(1 << 20).fill(0x41)]);
      const hexPart = new Blob([bytes(hex)]);
      const data = new DataTransfer();
      data.items.add(new File(Array(100).fill(mib), "one-line.log"));
      data.items.add(new File(Array(1024).fill(hexPart), "big.log"));
      data.items.add(new File([bytes(good)], name));
      window.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
    },
    { good, hex, name: hostile.GOOD_NAME },
  );
  // While the gigabyte is read, the page answers: the theme switches and the progress shows.
  await expect(app.page.getByRole("button", { name: "Cancel parsing" })).toBeVisible();
  const before = await app.page.evaluate(() => document.documentElement.dataset.theme);
  await app.page.getByRole("button", { name: /Switch to (dark|light) theme/ }).click();
  await expect.poll(() => app.page.evaluate(() => document.documentElement.dataset.theme)).not.toBe(before);
  await expect(app.page.getByRole("progressbar").first()).toBeVisible();
  await app.idle();
  await expect(card(app, "one-line.log")).toContainText(
    "1 line(s) longer than 1 MiB: only their first MiB is read",
  );
  await expect(card(app, "big.log")).toContainText("unknown format");
  await expect(card(app, "big.log")).toContainText("1024.0 MB");
  const model = await app.model();
  expect(model.files.find((f) => f.name === "big.log")).toMatchObject({ source: "unknown", records: 0 });
  expect(await ladder(app)).toEqual(expected);
});

test("10 000 tiny files in one drop are all read and listed; the list draws only the cards in view", async ({
  app,
}) => {
  test.setTimeout(120_000);
  await app.open("?sample=mra-oauth");
  const line = "2020-03-24 22:31:00,442 INFO [0x00002b04] [impl\\x.cpp(1)] [Logger] [X::y] - tiny\n";
  await app.page.evaluate((line) => {
    const data = new DataTransfer();
    for (let i = 0; i < 10_000; i++) data.items.add(new File([line], `jabber-${i}.log`));
    window.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
  }, line);
  await expect(app.page.getByRole("button", { name: "Cancel parsing" })).toBeVisible();
  await app.idle();
  const model = await app.model();
  expect(model.files).toHaveLength(10_000);
  expect(model.files.every((f) => f.source === "jabber" && f.records === 1)).toBe(true);
  await expect(app.page.getByTestId("files-summary")).toContainText("10 000 files");
  // The list draws the cards in view, not ten thousand of them; the last one can be scrolled to.
  expect(await app.page.getByTestId("file").count()).toBeLessThan(200);
  await app.page.getByTestId("file-list").evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(card(app, "jabber-9999.log")).toBeVisible();
  await app.screenshot("ten-thousand-files");
});

test("a file that disappears while it is read says so; the others parse", async ({ app }) => {
  test.setTimeout(120_000);
  await app.open("?sample=mra-oauth");
  const expected = await goodLadder(app);
  const dir = mkdtempSync(join(tmpdir(), "ucsnoop-gone-"));
  const path = join(dir, "vanishing.log");
  const good = join(dir, hostile.GOOD_NAME);
  // 200 MB of Jabber-shaped lines: far more than is read before the file is deleted.
  const mib = Buffer.from(hostile.unknownLines(1 << 20));
  writeFileSync(path, Buffer.concat([Buffer.from(hostile.jabberText()), ...Array(200).fill(mib)]));
  writeFileSync(good, hostile.good());
  await app.page.getByTestId("file-input").setInputFiles([path, good]);
  // Only the big file goes: the good one must stay readable however late the page opens it.
  rmSync(path);
  await app.idle();
  await expect(card(app, "vanishing.log")).toContainText("cannot read the file");
  expect(await ladder(app)).toEqual(expected);
  rmSync(dir, { recursive: true });
});
