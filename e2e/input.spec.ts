import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { zipSync } from "fflate";
import { test, expect } from "./app.ts";

const ladder = (m: { messages: { from: string; to: string; label: string; time: string | null }[] }) =>
  m.messages.map((x) => `${x.time} ${x.from} ${x.to} ${x.label}`);

test("a zip of the mra-oauth logs expands in the worker and draws the sample's ladder", async ({ app }) => {
  await app.open("?sample=mra-oauth");
  const sample = await app.model();
  const dir = fileURLToPath(new URL("../public/samples/mra-oauth/", import.meta.url));
  const logs = readdirSync(dir).filter((f) => f.endsWith(".log"));
  const zip = zipSync(Object.fromEntries(logs.map((f) => [f, new Uint8Array(readFileSync(dir + f))])));
  await app.page.getByTestId("file-input").setInputFiles({
    name: "mra.zip",
    mimeType: "application/zip",
    buffer: Buffer.from(zip),
  });
  await app.idle();
  const files = app.page.getByTestId("file");
  for (const f of logs) await expect(files.filter({ hasText: `mra.zip/${f}` })).toHaveCount(1);
  const model = await app.model();
  expect(model.files.map((f) => f.name).filter((n) => n.endsWith(".log"))).toEqual(
    expect.arrayContaining(logs.map((f) => `mra.zip/${f}`)),
  );
  expect(ladder(model)).toEqual(ladder(sample));
  expect(await app.laneIds()).toEqual(["jabber", "expe", "expc", "cucm"]);
  await app.screenshot("zip-dropped");
});

test("a time-of-day file with no date asks for one, and the date applies", async ({ app }) => {
  await app.open("?sample=cti-deskphone");
  const before = await app.model();
  const index = before.files.findIndex((f) => f.timeBase.dateFrom === "unknown");
  expect(index).toBeGreaterThanOrEqual(0);
  const name = before.files[index]!.name;
  const date = app.page.getByLabel(`Date of ${name}`);
  await expect(date).toBeVisible();
  await app.screenshot("file-date-asked");
  await date.fill("2021-05-04");
  await expect(app.page.getByLabel(`Date of ${name}`)).toHaveValue("2021-05-04");
  await app.idle();
  const after = await app.model();
  expect(after.files[index]!.timeBase).toMatchObject({ date: "2021-05-04", dateFrom: "user" });
  const timed = after.messages.filter((m) => m.time);
  expect(timed.length).toBeGreaterThan(0);
  expect(timed.some((m) => m.time!.startsWith("2021-05-0"))).toBe(true);

  // The zone (assumed) can be set too: UTC+02:00 moves the file's times two hours earlier in UTC.
  const zone = app.page.getByLabel(`Time zone of ${name}`);
  await expect(zone).toContainText("(assumed)");
  const first = after.messages.find((m) => m.time && m.evidence.some((e) => e.file === name))!;
  await zone.selectOption("120");
  await app.idle();
  const zoned = await app.model();
  expect(zoned.files[index]!.timeBase.zone).toBe("+02:00");
  expect(zoned.files[index]!.timeBase.date).toBe("2021-05-04");
  const moved = zoned.messages.find((m) => m.label === first.label && m.from === first.from)!;
  expect(Date.parse(first.time!) - Date.parse(moved.time!)).toBeGreaterThan(0);
  await app.screenshot("file-date-set");
});

test("clock edits survive removing a file and overriding another", async ({ app }) => {
  await app.open("?sample=mra-oauth");
  const expc = app.page.getByRole("spinbutton", { name: "Clock offset of Expressway-C in milliseconds" });
  await expc.fill("250");
  await expc.press("Enter");
  await app.idle();
  await app.page.getByRole("button", { name: "Remove jabber.log" }).click();
  await app.idle();
  await expect(app.page.getByTestId("file")).toHaveCount(2);
  let model = await app.model();
  expect(model.files.map((f) => f.name)).not.toContain("jabber.log");
  expect(model.clocks.find((c) => c.lane === "expc")?.offsetMs).toBe(250);
  await app.page.getByLabel("Host of expressway-e.log").fill("edge-e1");
  await app.page.getByLabel("Host of expressway-e.log").press("Enter");
  await app.idle();
  model = await app.model();
  expect(model.files.find((f) => f.name === "expressway-e.log")?.host).toBe("edge-e1");
  expect(model.clocks.find((c) => c.lane === "expc")?.offsetMs).toBe(250);
  await expect(app.page.locator('[data-testid="lane"][data-lane="expe"]')).toContainText("edge-e1");
});
