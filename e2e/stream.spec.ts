import { test, expect } from "./app.ts";
import * as hostile from "../parsers/testing/hostile.ts";

/**
 * A big drop shows its first ladder before the last file is read (issue #7): the model of the
 * files read so far streams to the page, marked as partial, and the finished model replaces it.
 */
test("the ladder of the files read so far is shown while a big file is still read", async ({ app }) => {
  test.setTimeout(120_000);
  await app.open("?sample=mra-oauth");
  // What the good file alone gives: the partial model must be exactly that.
  await app.page
    .getByTestId("file-input")
    .setInputFiles([
      { name: hostile.GOOD_NAME, mimeType: "text/plain", buffer: Buffer.from(hostile.good()) },
    ]);
  await app.idle();
  const alone = (await app.model()).messages.map((m) => `${m.from} ${m.to} ${m.label}`);
  expect(alone.length).toBeGreaterThan(5);

  const good = Buffer.from(hostile.good()).toString("latin1");
  const hex = Buffer.from(hostile.unknownLines(1 << 20)).toString("latin1");
  // The good file first, then a gigabyte (1024 references to one 1 MiB part, built in the page).
  await app.page.evaluate(
    ({ good, hex, name }) => {
      const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes(good)], name));
      data.items.add(new File(Array(1024).fill(new Blob([bytes(hex)])), "big.log"));
      window.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
    },
    { good, hex, name: hostile.GOOD_NAME },
  );
  const note = app.page.getByTestId("partial-note");
  await expect(note).toBeVisible();
  await expect(note).toContainText("1 of 2 files read whole");
  await expect(note).toContainText(`first ${(hostile.good().length / 1024).toFixed(1)} KB of 1024.0 MB`);
  // Still reading, and the arrows of the first file are drawn.
  await expect(app.page.getByRole("button", { name: "Cancel parsing" })).toBeVisible();
  await expect(app.arrows().first()).toBeVisible();
  // The worker's model while it reads is the partial one: the good file's ladder, exactly.
  expect((await app.model()).messages.map((m) => `${m.from} ${m.to} ${m.label}`)).toEqual(alone);
  await app.screenshot("partial-ladder");

  // Cancelled: the finished model keeps what was read; the partial note goes.
  await app.page.getByRole("button", { name: "Cancel parsing" }).click();
  await app.idle();
  await expect(note).toHaveCount(0);
  const model = await app.model();
  expect(model.files.map((f) => f.name)).toEqual([hostile.GOOD_NAME, "big.log"]);
  expect(model.messages.map((m) => `${m.from} ${m.to} ${m.label}`)).toEqual(alone);
});
