import { test, expect } from "./app.ts";

test.beforeEach(async ({ app }) => {
  await app.open("?sample=mra-oauth");
});

test("the search filters the table, as text or /regex/", async ({ app }) => {
  const total = (await app.model()).messages.length;
  await app.page.keyboard.press("/");
  await expect(app.page.getByTestId("search")).toBeFocused();
  await app.page.keyboard.type("authorize");
  await expect(app.page.getByTestId("row-count")).not.toHaveText(`${total} messages`);
  const labels = await app.page
    .locator('[data-testid="row"] .col-label')
    .evaluateAll((cells) => cells.map((c) => c.textContent ?? ""));
  expect(labels.length).toBeGreaterThan(0);
  for (const l of labels) expect(l.toLowerCase()).toContain("authorize");
  await expect(app.page).toHaveURL(/q=authorize/);
  await app.screenshot("search");

  await app.page.getByTestId("search").fill("/^POST (authorize_proxy|access_token)$/");
  const rows = app.page.getByTestId("row");
  await expect(rows).toHaveCount(2);
});

test("a column filter narrows the rows", async ({ app }) => {
  await app.page.getByTestId("filter-status").fill("302");
  const rows = app.page.getByTestId("row");
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText("302 Found");
});

test("selection is shared by the table and the diagram", async ({ app }) => {
  const id = await app.messageId("POST authorize_proxy");
  await app.row(id).click();
  await expect(app.row(id)).toHaveAttribute("aria-selected", "true");
  await expect(app.arrow(id)).toHaveAttribute("data-selected", "true");
  await expect(app.page).toHaveURL(new RegExp(`#m=${id}`));
  const other = await app.messageId("200 OK authorize_proxy");
  await app.arrow(other).click();
  await expect(app.row(other)).toHaveAttribute("aria-selected", "true");
});

test("j/k move the selection, n/p stay in the dialog, ? lists the shortcuts", async ({ app }) => {
  const model = await app.model();
  await app.page.locator("body").click({ position: { x: 5, y: 700 } });
  await app.page.keyboard.press("j");
  await expect(app.arrow(0)).toHaveAttribute("data-selected", "true");
  await app.page.keyboard.press("j");
  await expect(app.arrow(1)).toHaveAttribute("data-selected", "true");
  await app.page.keyboard.press("k");
  await expect(app.arrow(0)).toHaveAttribute("data-selected", "true");
  await expect(app.details()).toContainText(model.messages[0]!.label);

  const start = await app.messageId("GET authorize");
  await app.arrow(start).click();
  await app.page.keyboard.press("n");
  const dialog = model.messages[start]!.dialog;
  const next = model.messages.find((m) => m.id > start && m.dialog === dialog)!;
  await expect(app.row(next.id)).toHaveAttribute("aria-selected", "true");
  await app.page.keyboard.press("p");
  await expect(app.row(start)).toHaveAttribute("aria-selected", "true");

  await app.page.keyboard.press("?");
  const help = app.page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help).toBeVisible();
  await expect(help).toContainText("Next message");
  await app.screenshot("shortcuts");
  await app.page.keyboard.press("Escape");
  await expect(help).toBeHidden();
});

test("the URL hash reopens the selection and the search", async ({ app }) => {
  const id = await app.messageId("POST authorize_proxy");
  await app.open(`?sample=mra-oauth#m=${id}&q=authorize`);
  await expect(app.page.getByTestId("search")).toHaveValue("authorize");
  await expect(app.arrow(id)).toHaveAttribute("data-selected", "true");
  await expect(app.details()).toContainText("POST authorize_proxy");
});
