import { test, expect } from "./app.ts";

const MRA_PHASES = [
  "get_edge_sso",
  "Authorize and local authentication",
  "Authorization code",
  "Access and refresh tokens",
  "Token validation",
];

test("walk the whole mra-oauth login with the keyboard in presenter mode", async ({ app }) => {
  await app.page.setViewportSize({ width: 1280, height: 720 });
  await app.open("?sample=mra-oauth");
  const model = await app.model();
  const session = model.sessions[0]!;
  await app.page.locator("body").click({ position: { x: 640, y: 5 } });
  await app.page.keyboard.press("Shift+P");
  const card = app.page.getByTestId("walkthrough");
  await expect(card).toBeVisible();
  // Chrome hidden: no header, no table, no side panes.
  await expect(app.page.locator(".app-header")).toHaveCount(0);
  await expect(app.page.locator(".message-table")).toHaveCount(0);
  await expect(app.page.locator("aside.left")).toHaveCount(0);
  await expect(app.page.getByTestId("presenter-toggle")).toHaveAttribute("aria-pressed", "true");

  const titles: string[] = [];
  for (let step = 0; step < session.messages.length; step++) {
    const id = session.messages[step]!;
    await expect(app.page).toHaveURL(new RegExp(`w=0&step=${step}&present=1`));
    await expect(card.getByText(`Step ${step + 1} of ${session.messages.length}`)).toBeVisible();
    await expect(app.arrow(id)).toHaveAttribute("data-selected", "true");
    await expect(app.arrow(id)).toBeInViewport();
    const phase = (await card.getByTestId("walk-phase").textContent()) ?? "";
    await expect(card.getByTestId("narration")).toContainText(model.messages[id]!.label);
    await expect(card.getByTestId("walk-raw").first()).toBeVisible();
    if (titles[titles.length - 1] !== phase) {
      titles.push(phase);
      await app.screenshot(`presenter-${String(step).padStart(2, "0")}-${phase.replace(/\W+/g, "-")}`);
    }
    if (step < session.messages.length - 1) await app.page.keyboard.press(step % 2 ? "Space" : "ArrowRight");
  }
  expect(titles).toEqual(MRA_PHASES);
  await app.screenshot("presenter-last-step");

  // Back one step, then leave.
  await app.page.keyboard.press("ArrowLeft");
  await expect(app.page).toHaveURL(new RegExp(`step=${session.messages.length - 2}`));
  await app.page.keyboard.press("Escape");
  await expect(card).toHaveCount(0);
  await expect(app.page.locator(".app-header")).toBeVisible();
});

test("walkthrough: session picker, phase list, jump to a phase, and the hash reopens a step", async ({
  app,
}) => {
  await app.open("?sample=mra-oauth");
  await app.page.getByRole("button", { name: "Walkthrough" }).click();
  const card = app.page.getByTestId("walkthrough");
  await expect(card.getByTestId("walk-session")).toContainText("aokanlawon");
  await expect(card.getByTestId("walk-session")).toContainText("success");
  const items = card.getByTestId("walk-phase-item");
  await expect(items).toHaveCount(8);
  await expect(items.first()).toHaveClass(/not-reached/);
  await expect(items.nth(1)).toHaveClass(/reached/);
  await card.getByRole("button", { name: /^Access and refresh tokens: reached/ }).click();
  await expect(card.getByTestId("walk-phase")).toHaveText("Access and refresh tokens");
  const model = await app.model();
  const tokens = model.sessions[0]!.phases.find((p) => p.id === "tokens")!;
  await expect(app.arrow(tokens.messages[0]!)).toHaveAttribute("data-selected", "true");
  await expect(app.page).toHaveURL(/w=0&step=17/);
  await app.screenshot("walkthrough-card");

  await app.open("?sample=mra-sasl-failure#w=1&step=2");
  await expect(app.page.getByTestId("walk-phase")).toHaveText("XMPP through the edge");
  await expect(app.page.getByText("Step 3 of 4")).toBeVisible();
  await expect(app.page.locator('[data-testid="walk-phase-item"][data-phase="xmpp"]')).toContainText(
    "stopped here",
  );
  await app.screenshot("walkthrough-stopped");
});

test("the shortcut list names the walkthrough keys", async ({ app }) => {
  await app.open("?sample=mra-oauth");
  await app.page.keyboard.press("?");
  const help = app.page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help).toContainText("Walkthrough: next step");
  await expect(help).toContainText("Shift+P");
  await expect(help).toContainText("Space");
});
