import { test, expect } from "./app.ts";

test("mra-sasl-failure: the SASL finding, its fix, and its evidence selected from the panel", async ({
  app,
}) => {
  await app.open("?sample=mra-sasl-failure");
  const model = await app.model();
  const finding = model.findings.find((f) => f.id === "sasl-oauthlocal-off")!;
  expect(finding).toBeTruthy();
  const item = app.page.locator('[data-testid="finding"][data-finding="sasl-oauthlocal-off"]');
  await expect(item).toContainText("CISCO-VTG-TOKEN");
  await item.getByRole("button", { name: /Select its evidence/ }).click();
  const body = item.getByTestId("finding-body");
  await expect(body).toContainText("OAuthLocal");
  await expect(body).toContainText("Expressway-C");
  await expect(body.getByTestId("evidence-line").filter({ hasText: "jabber.log:1" })).toHaveCount(1);
  await expect(body.getByTestId("evidence-line").filter({ hasText: "expressway-c.log:2" })).toHaveCount(1);

  // The first evidence message is selected; the rest are highlighted, Jabber's and Expressway's.
  const [first, ...rest] = finding.evidence;
  await app.fit();
  await expect(app.arrow(first!)).toHaveAttribute("data-selected", "true");
  for (const id of rest) await expect(app.arrow(id)).toHaveAttribute("data-highlighted", "true");
  const lanes = new Set(finding.evidence.flatMap((id) => [model.messages[id]!.from, model.messages[id]!.to]));
  expect(lanes).toContain("jabber");
  expect(lanes).toContain("expc");
  const others = model.messages.filter((m) => !finding.evidence.includes(m.id));
  for (const m of others) await expect(app.arrow(m.id)).not.toHaveAttribute("data-highlighted", "true");
  await expect(app.details()).toContainText(model.messages[first!]!.label);
  await app.screenshot("finding-sasl-selected");
});

test("mra-sasl-failure: a diagram marker selects the finding's evidence", async ({ app }) => {
  await app.open("?sample=mra-sasl-failure");
  const model = await app.model();
  const finding = model.findings[0]!;
  await app.fit();
  const markers = app.page.getByTestId("finding-marker");
  await expect(markers).toHaveCount(finding.evidence.length);
  const marker = markers.nth(1);
  await expect(marker).toHaveAccessibleName(/finding: XMPP SASL/);
  await marker.click();
  await expect(app.arrow(finding.evidence[0]!)).toHaveAttribute("data-selected", "true");
  for (const id of finding.evidence.slice(1))
    await expect(app.arrow(id)).toHaveAttribute("data-highlighted", "true");
  await expect(
    app.page.locator(`[data-testid="finding"][data-finding="${finding.id}"] button[aria-pressed="true"]`),
  ).toHaveCount(1);
  // Selecting another arrow ends the evidence highlight.
  const other = model.messages.find((m) => !finding.evidence.includes(m.id))!;
  await app.arrow(other.id).click();
  await expect(app.page.locator('[data-testid="message"][data-highlighted="true"]')).toHaveCount(
    model.messages.filter((m) => m.id !== other.id && m.dialog !== null && m.dialog === other.dialog).length,
  );
  await app.screenshot("finding-markers");
});

test("ims-failures: five IMS findings", async ({ app }) => {
  await app.open("?sample=ims-failures");
  const items = app.page.getByTestId("finding");
  await expect(items).toHaveCount(5);
  const ids = await items.evaluateAll((els) => els.map((e) => e.getAttribute("data-finding")));
  expect(ids).toEqual(["ims-1", "ims-2", "ims-3", "ims-4", "ims-5"]);
  await expect(items.nth(2)).toContainText("IMS result code 3");
  await items
    .nth(2)
    .getByRole("button", { name: /Expand/ })
    .click();
  await expect(items.nth(2).getByTestId("finding-body")).toBeVisible();
  await app.screenshot("findings-ims");
});

test("mra-oauth: no findings, no markers", async ({ app }) => {
  await app.open("?sample=mra-oauth");
  await expect(app.page.getByTestId("no-findings")).toBeVisible();
  await expect(app.page.getByTestId("finding")).toHaveCount(0);
  await app.fit();
  await expect(app.page.getByTestId("finding-marker")).toHaveCount(0);
});
