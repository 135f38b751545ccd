import { test, expect, type App } from "./app.ts";

/**
 * A day of logs: 2 million messages, 52 million px of 26 px rows, past what any engine lays out
 * (Chromium about 33.5 million px, Firefox 17.9 million). Parsing that much takes minutes, so the
 * page shows the sample's messages repeated to 2 million (`window.ucsnoop.showMessages`): the
 * real page and table, keyboard and ladder, with 2 million rows.
 */
const COUNT = 2_000_000;
const LAST = COUNT - 1;

/** Shows the sample's messages repeated to COUNT, ids in order; the last one's label is its own. */
async function showTall(app: App): Promise<string> {
  const label = await app.page.evaluate(async (count) => {
    const base = (await window.ucsnoop!.model()).messages;
    const messages = Array.from({ length: count }, (_, id) => ({ ...base[id % base.length]!, id }));
    const last = messages[count - 1]!;
    last.label = `the last of ${count}: ${last.label}`;
    window.ucsnoop!.showMessages(messages);
    return last.label;
  }, COUNT);
  await expect(app.page.getByTestId("row-count")).toHaveText(`${COUNT} messages`);
  return label;
}

/** The rows drawn, top to bottom, and the part of the scroll box they are seen in (below the header). */
function layout(app: App) {
  return app.page.evaluate(() => {
    const box = document.querySelector<HTMLElement>(".message-table .grid-scroll")!;
    const view = box.getBoundingClientRect();
    return {
      top: box.querySelector(".grid-head")!.getBoundingClientRect().bottom,
      bottom: view.top + box.clientTop + box.clientHeight,
      scrollTop: box.scrollTop,
      maxScrollTop: box.scrollHeight - box.clientHeight,
      rows: [...box.querySelectorAll<HTMLElement>('[data-testid="row"]')]
        .map((r) => {
          const b = r.getBoundingClientRect();
          return { id: Number(r.dataset.messageId), top: b.top, bottom: b.bottom };
        })
        .sort((a, b) => a.top - b.top),
    };
  });
}

/** The row is drawn whole between the header and the bottom of the scroll box. */
async function expectWhole(app: App, id: number): Promise<void> {
  await expect
    .poll(async () => {
      const l = await layout(app);
      const row = l.rows.find((r) => r.id === id);
      return !!row && row.top >= l.top - 0.5 && row.bottom <= l.bottom + 0.5;
    })
    .toBe(true);
}

/** The drawn rows follow one another with no gap and fill the box from the header down. */
async function expectNoGap(app: App): Promise<void> {
  const l = await layout(app);
  const seen = l.rows.filter((r) => r.bottom > l.top && r.top < l.bottom);
  expect(seen.length).toBeGreaterThanOrEqual(5);
  expect(seen[0]!.top).toBeLessThanOrEqual(l.top + 0.5);
  expect(seen.at(-1)!.bottom).toBeGreaterThanOrEqual(l.bottom - 0.5);
  for (let i = 1; i < seen.length; i++) {
    expect(seen[i]!.id).toBe(seen[i - 1]!.id + 1);
    expect(Math.abs(seen[i]!.top - seen[i - 1]!.bottom)).toBeLessThan(0.5);
  }
}

async function scrollToEnd(app: App): Promise<void> {
  await app.page.locator(".message-table .grid-scroll").hover();
  await app.page.mouse.wheel(0, 100_000_000);
  await expect.poll(async () => (await layout(app)).scrollTop).toBe((await layout(app)).maxScrollTop);
}

test.beforeEach(async ({ app }) => {
  // Two million messages built in the page: seconds, more on a loaded machine.
  test.setTimeout(90_000);
  await app.open("?sample=mra-oauth");
});

test("scrolled to the end, the last of 2 million rows shows whole under the header", async ({ app }) => {
  const label = await showTall(app);
  await scrollToEnd(app);
  const last = app.row(LAST);
  await expectWhole(app, LAST);
  await expect(last).toHaveAttribute("aria-rowindex", String(COUNT + 2));
  await expect(last.locator(".col-label")).toHaveText(label);
  // The last row sits on the bottom of the box: nothing past it, no blank under it.
  const end = await layout(app);
  expect(Math.abs(end.rows.at(-1)!.bottom - end.bottom)).toBeLessThan(0.5);
  expect(end.rows.at(-1)!.id).toBe(LAST);
  await expectNoGap(app);
  await app.screenshot("tall-table-end");

  // A little way up: the rows still follow one another, a few dozen rows up.
  await app.page.mouse.wheel(0, -300);
  await expect.poll(async () => (await layout(app)).scrollTop).toBeLessThan(end.scrollTop);
  await expect.poll(async () => (await layout(app)).rows.at(-1)!.id).toBeLessThan(LAST);
  await expectNoGap(app);
  expect((await layout(app)).rows[0]!.id).toBeGreaterThan(COUNT - 500);
});

test("at 2 million rows the ladder and j/k bring the selected row into view", async ({ app }) => {
  const label = await showTall(app);
  await scrollToEnd(app);

  // From the end of the table to its top: a message selected in the ladder.
  await app.arrow(3).click();
  await expect(app.row(3)).toHaveAttribute("aria-selected", "true");
  await expectWhole(app, 3);
  await app.page.keyboard.press("j");
  await expect(app.row(4)).toHaveAttribute("aria-selected", "true");
  await expectWhole(app, 4);

  // With nothing selected, k selects the last message: the table goes to its end.
  await app.page.keyboard.press("Escape");
  await expect(app.row(4)).toHaveAttribute("aria-selected", "false");
  await app.page.keyboard.press("k");
  await expect(app.row(LAST)).toHaveAttribute("aria-selected", "true");
  await expectWhole(app, LAST);
  await expect(app.row(LAST).locator(".col-label")).toHaveText(label);
  await expect(app.details()).toContainText(label);
  await expect.poll(async () => (await layout(app)).scrollTop).toBe((await layout(app)).maxScrollTop);
  for (const id of [LAST - 1, LAST - 2, LAST - 3]) {
    await app.page.keyboard.press("k");
    await expect(app.row(id)).toHaveAttribute("aria-selected", "true");
    await expectWhole(app, id);
  }
  await app.page.keyboard.press("j");
  await expect(app.row(LAST - 2)).toHaveAttribute("aria-selected", "true");
  await expectWhole(app, LAST - 2);
  await expectNoGap(app);
});
