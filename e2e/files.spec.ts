import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test, expect } from "./app.ts";

const dir = fileURLToPath(new URL("../public/samples/mra-oauth/", import.meta.url));
const logs = readdirSync(dir)
  .filter((f) => f.endsWith(".log"))
  .map((f) => `${dir}${f}`);

test("logs picked with the file input are parsed and drawn", async ({ app }) => {
  await app.open("?sample=ims-failures");
  await app.page.getByTestId("file-input").setInputFiles(logs);
  await app.idle();
  const files = app.page.getByTestId("file");
  await expect(files).toHaveCount(logs.length);
  await expect(files.filter({ hasText: "expressway-e.log" })).toContainText("10 records");
  expect(await app.laneIds()).toEqual(["jabber", "expe", "expc", "cucm"]);
  const id = await app.messageId("POST localauthentication", "expe", "expc");
  await app.fit();
  await expect(app.arrow(id)).toBeVisible();
  await app.screenshot("opened-files");
});

test("files dropped on the window are parsed", async ({ app }) => {
  await app.open("?sample=ims-failures");
  const contents = logs.map((p) => ({ name: p.split("/").pop()!, text: readFileSync(p, "utf8") }));
  await app.page.evaluate((files) => {
    const data = new DataTransfer();
    for (const f of files) data.items.add(new File([f.text], f.name, { type: "text/plain" }));
    window.dispatchEvent(new DragEvent("dragenter", { dataTransfer: data, bubbles: true, cancelable: true }));
    window.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
  }, contents);
  await expect(app.page.getByTestId("file")).toHaveCount(logs.length);
  await app.idle();
  expect(await app.laneIds()).toEqual(["jabber", "expe", "expc", "cucm"]);
});

test("a file can be removed", async ({ app }) => {
  await app.open("?sample=mra-oauth");
  await app.page.getByRole("button", { name: "Remove jabber.log" }).click();
  await expect(app.page.getByTestId("file")).toHaveCount(2);
  await app.idle();
  const model = await app.model();
  expect(model.files.map((f) => f.name)).not.toContain("jabber.log");
});

test("clock offsets are shown and can be edited", async ({ app }) => {
  await app.open("?sample=mra-oauth");
  const expc = app.page.getByRole("spinbutton", { name: "Clock offset of Expressway-C in milliseconds" });
  await expect(expc).toHaveValue("9");
  await expc.fill("250");
  await expc.press("Enter");
  await expect(app.page.locator('[data-testid="clock"][data-lane="expc"]')).toContainText("user");
  await app.idle();
  const model = await app.model();
  expect(model.clocks.find((c) => c.lane === "expc")?.offsetMs).toBe(250);
});

test("dark theme", async ({ app }) => {
  await app.page.emulateMedia({ colorScheme: "dark" });
  await app.open("?sample=mra-oauth");
  await expect(app.page.locator("html")).toHaveAttribute("data-theme", "dark");
  const id = await app.messageId("POST authorize_proxy");
  await app.arrow(id).click();
  await app.screenshot("dark");
  await app.page.getByRole("button", { name: "Switch to light theme" }).click();
  await expect(app.page.locator("html")).toHaveAttribute("data-theme", "light");
});
