import { test, expect } from "./app.ts";

test.beforeEach(async ({ app }) => {
  await app.open("?sample=mra-oauth");
});

test("clicking an arrow shows its raw log lines, both sides", async ({ app }) => {
  const id = await app.messageId("POST localauthentication", "jabber", "expe");
  await app.arrow(id).click();
  await expect(app.arrow(id)).toHaveAttribute("data-selected", "true");
  const details = app.details();
  await expect(details.getByTestId("raw-record").first()).toContainText("expressway-e.log:22");
  await expect(details.getByTestId("raw-lines").first()).toContainText('Txn-id="2007"');
  // The forwarded request's HTTP message is pretty-printed from its HTTPMSG lines.
  await expect(details.getByText("HTTP message")).toBeVisible();
  await app.screenshot("details-localauthentication");
});

test("an exchange seen by both sides lists both files", async ({ app }) => {
  const id = await app.messageId("GET authorize", "jabber", "expe");
  await app.arrow(id).click();
  const records = app.details().getByTestId("raw-record");
  await expect(records.filter({ hasText: "jabber.log:5" })).toHaveCount(1);
  await expect(records.filter({ hasText: "expressway-e.log:19" })).toHaveCount(1);
  // The OAuth state is read out of the authorize URL's query.
  await expect(app.details().getByText("URL query").first()).toBeVisible();
});

test("selecting a message highlights its dialog in the diagram and the table", async ({ app }) => {
  const model = await app.model();
  const id = await app.messageId("GET authorize");
  const dialog = model.messages[id]!.dialog;
  expect(dialog).toBe("oauth:1771145038");
  await app.arrow(id).click();
  await app.fit();
  for (const m of model.messages) {
    const expected = m.id !== id && m.dialog === dialog;
    if (expected) await expect(app.arrow(m.id)).toHaveAttribute("data-highlighted", "true");
    else await expect(app.arrow(m.id)).not.toHaveAttribute("data-highlighted", "true");
  }
  const highlightedRows = app.page.locator('[data-testid="row"][data-highlighted="true"]');
  await expect(highlightedRows.first()).toBeVisible();
  const ids = await highlightedRows.evaluateAll((rs) =>
    rs.map((r) => Number(r.getAttribute("data-message-id"))),
  );
  for (const rowId of ids) expect(model.messages[rowId]!.dialog).toBe(dialog);
  await app.screenshot("dialog-highlight");
});

test("only the visible window of arrows is drawn", async ({ app }) => {
  const model = await app.model();
  const drawn = await app.arrows().count();
  expect(drawn).toBeGreaterThan(0);
  expect(drawn).toBeLessThan(model.messages.length);
  await app.fit();
  await expect(app.arrows()).toHaveCount(model.messages.length);
});

test("half-seen arrows are dashed and self-arrows are loops", async ({ app }) => {
  const model = await app.model();
  const half = model.messages.find((m) => m.seenBy.length === 1 && m.from !== m.to)!;
  const both = model.messages.find((m) => m.seenBy.length === 2)!;
  const self = model.messages.find((m) => m.from === m.to)!;
  await app.fit();
  const dash = (id: number) =>
    app
      .arrow(id)
      .locator(".line")
      .evaluate((el) => getComputedStyle(el).strokeDasharray);
  expect(await dash(half.id)).not.toBe("none");
  expect(await dash(both.id)).toBe("none");
  expect(await app.arrow(self.id).locator("path.line").count()).toBe(1);
});

test("time mode compresses long gaps and marks them", async ({ app }) => {
  await app.page.getByRole("radio", { name: "Time" }).click();
  // mra-oauth waits 21 s for the user's password: one compressed, labelled gap.
  await expect(app.page.locator(".gap-break").first()).toBeVisible();
  await expect(app.page.locator(".gap-text").first()).toContainText("s");
  await expect(app.page).toHaveURL(/mode=time/);
  await app.screenshot("time-mode");
});

test("lanes can be hidden, shown and reordered", async ({ app }) => {
  expect(await app.laneIds()).toEqual(["jabber", "expe", "expc", "cucm"]);
  await app.page.getByRole("button", { name: "Hide CUCM" }).click();
  expect(await app.laneIds()).toEqual(["jabber", "expe", "expc"]);
  await app.page.getByRole("button", { name: "Show lane CUCM" }).click();
  await app.page.getByRole("button", { name: "Move Jabber right" }).click();
  expect(await app.laneIds()).toEqual(["expe", "jabber", "expc", "cucm"]);
});
