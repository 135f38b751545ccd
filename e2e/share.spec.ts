import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";
import type { Browser, BrowserContext, Download, Page } from "@playwright/test";
import { extractSnapshot } from "../parsers/share/snapshot.ts";
import type { ModelJson } from "../parsers/model/json.ts";
import { test, expect, type App } from "./app.ts";

/**
 * Sharing: the single-file viewer and snapshots open from disk with every request aborted
 * (and none attempted but file:, data: and blob:), redaction leaves no secret in a snapshot's
 * bytes, and every export downloads what the view shows.
 */

const VIEWER = fileURLToPath(new URL("../dist/ucsnoop.html", import.meta.url));
const SAMPLES = fileURLToPath(new URL("../public/samples/", import.meta.url));

interface Offline {
  context: BrowserContext;
  page: Page;
  requests: string[];
  errors: string[];
}

/** A context that aborts every request and records each one, with a page opened on a file. */
async function openOffline(browser: Browser, path: string): Promise<Offline> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const requests: string[] = [];
  const errors: string[] = [];
  context.on("request", (r) => requests.push(r.url()));
  // Everything is aborted but the file itself (and what never leaves the browser: data:, blob:).
  await context.route("**/*", (r) =>
    /^(?:file|data|blob):/.test(r.request().url()) ? r.continue() : r.abort(),
  );
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(pathToFileURL(path).href);
  await page.waitForFunction(() => window.ucsnoop !== undefined);
  await page.evaluate(() => window.ucsnoop!.whenIdle());
  return { context, page, requests, errors };
}

function networkRequests(requests: string[]): string[] {
  return requests.filter((u) => !/^(?:file|data|blob):/.test(u));
}

async function saved(download: Download, path: string): Promise<string> {
  await download.saveAs(path);
  return readFileSync(path, "utf8");
}

/** Export a snapshot through the dialog (redaction as the dialog says); the file's path. */
async function exportSnapshot(page: Page, path: string): Promise<string> {
  await page.getByTestId("export-snapshot").click();
  const dialog = page.getByTestId("export-dialog");
  await expect(dialog).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    dialog.getByTestId("export-confirm").click(),
  ]);
  await saved(download, path);
  await expect(dialog).toBeHidden();
  return path;
}

function payloadOf(html: string): {
  model: ModelJson;
  raw: Record<string, unknown>;
  view: Record<string, unknown>;
} {
  const block = extractSnapshot(html);
  expect(block, "the snapshot's data block").toBeTruthy();
  return JSON.parse(gunzipSync(Buffer.from(block!, "base64")).toString("utf8"));
}

const shape = (m: ModelJson) => m.messages.map((x) => [x.from, x.to, x.kind]);

test("the single-file viewer opens from file:// with no network and parses dropped logs", async ({
  browser,
}) => {
  const html = readFileSync(VIEWER, "utf8");
  expect(html).toContain("default-src 'none'".replace(/'/g, "&#39;"));
  expect(html).not.toMatch(/<script[^>]+\bsrc=|<link[^>]+stylesheet/);
  const { context, page, requests, errors } = await openOffline(browser, VIEWER);
  await expect(page.getByTestId("sample-picker")).toHaveCount(0);
  await page
    .getByTestId("file-input")
    .setInputFiles(
      ["expressway-c.log", "expressway-e.log", "jabber.log"].map((f) => `${SAMPLES}mra-oauth/${f}`),
    );
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="message"]').length > 0);
  await page.evaluate(() => window.ucsnoop!.whenIdle());
  const model = await page.evaluate(() => window.ucsnoop!.model());
  expect(model.messages.length).toBeGreaterThan(10);
  expect(networkRequests(requests)).toEqual([]);
  expect(errors).toEqual([]);
  // The policy itself refuses a fetch the page might try: blocked before any request is made.
  const violated = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        document.addEventListener("securitypolicyviolation", (e) => resolve(e.effectiveDirective));
        fetch("http://127.0.0.1:9/").catch(() => undefined);
      }),
  );
  expect(violated).toBe("connect-src");
  expect(networkRequests(requests)).toEqual([]);
  await context.close();
});

test("a snapshot opens from file:// offline at the view it was exported from, and exports itself", async ({
  app,
  browser,
}, info) => {
  await app.open("?sample=mra-oauth");
  const model = await app.model();
  const id = await app.messageId("GET authorize", "jabber", "expe");
  await app.fit();
  await app.arrow(id).click();
  await app.page.keyboard.press("t");
  await expect(app.details()).toContainText("authorize");
  await app.page.getByTestId("export-snapshot").click();
  await expect(app.page.getByTestId("redaction-rule").first()).toBeVisible();
  await app.screenshot("export-dialog");
  await app.page.keyboard.press("Escape");
  const first = await exportSnapshot(app.page, info.outputPath("snapshot.html"));
  const html = readFileSync(first, "utf8");
  expect(html).toContain('id="ucsnoop-data"');
  expect(html).toContain("Content-Security-Policy");

  const offline = await openOffline(browser, first);
  const { page } = offline;
  await page.getByRole("button", { name: "Fit all messages" }).click();
  await expect(page.getByTestId("message")).toHaveCount(model.messages.length);
  await expect(page.locator(`[data-testid="message"][data-message-id="${id}"]`)).toHaveAttribute(
    "data-selected",
    "true",
  );
  await expect(page.getByTestId("details")).toContainText("authorize");
  await expect(page.getByTestId("snapshot-badge")).toContainText("redacted");
  expect(page.url()).toContain("mode=time");
  const path = info.outputPath("snapshot-offline.png");
  await page.screenshot({ path });
  await info.attach("snapshot-offline", { path, contentType: "image/png" });

  // A snapshot exports a snapshot: the same viewer with the (one) new data block.
  const second = await exportSnapshot(page, info.outputPath("snapshot-2.html"));
  const again = readFileSync(second, "utf8");
  expect(again.match(/id="ucsnoop-data"/g)).toHaveLength(1);
  expect(shape(payloadOf(again).model)).toEqual(shape(model));
  expect(networkRequests(offline.requests)).toEqual([]);
  expect(offline.errors).toEqual([]);
  await offline.context.close();

  const reopened = await openOffline(browser, second);
  await reopened.page.getByRole("button", { name: "Fit all messages" }).click();
  await expect(reopened.page.getByTestId("message")).toHaveCount(model.messages.length);
  expect(networkRequests(reopened.requests)).toEqual([]);
  await reopened.context.close();
});

const TOKEN = "eyJhbGciOiJSUzI1Ni--------38oMy0ldmfJRSVRa8r8iuJJbDxA";
const PASSWORD = "S3cret!pw";

async function openSecrets(app: App): Promise<void> {
  await app.open();
  const epas = readFileSync(`${SAMPLES}onprem-login/imp-epassoap.log`, "utf8").replace(
    "<ns1:password>...</ns1:password>",
    `<ns1:password>${PASSWORD}</ns1:password>`,
  );
  expect(epas).toContain(PASSWORD);
  await app.page.getByTestId("file-input").setInputFiles([
    {
      name: "expressway-c.log",
      mimeType: "text/plain",
      buffer: readFileSync(`${SAMPLES}mra-oauth/expressway-c.log`),
    },
    { name: "imp-epassoap.log", mimeType: "text/plain", buffer: Buffer.from(epas) },
  ]);
  await app.page.waitForFunction(async () => (await window.ucsnoop!.model()).files.length === 2);
  await app.idle();
}

test("a redacted snapshot holds neither the token nor the password, and the same ladder", async ({
  app,
}, info) => {
  await openSecrets(app);
  const model = await app.model();
  expect(model.files.map((f) => f.name)).toEqual(["expressway-c.log", "imp-epassoap.log"]);
  await app.page.getByTestId("export-snapshot").click();
  const rules = app.page.getByTestId("redaction-rule");
  await expect(rules.first()).toBeVisible();
  expect((await rules.allTextContents()).join(" ")).toMatch(/password/i);
  await app.page.keyboard.press("Escape");
  const path = await exportSnapshot(app.page, info.outputPath("redacted.html"));
  const bytes = readFileSync(path);
  const payload = payloadOf(bytes.toString("utf8"));
  const decoded = JSON.stringify(payload);
  for (const secret of [TOKEN, PASSWORD, "38oMy0ldmfJRSVRa8r8iuJJbDxA"]) {
    expect(bytes.includes(secret), `${secret} in the file`).toBe(false);
    expect(decoded.includes(secret), `${secret} in the data`).toBe(false);
  }
  expect(decoded).toContain("[redacted]");
  expect(payload.model.messages.length).toBe(model.messages.length);
  expect(shape(payload.model)).toEqual(shape(model));
  expect(Object.keys(payload.raw).length).toBe(model.messages.length);
});

test("every export downloads what the filtered view shows", async ({ app }, info) => {
  await app.open("?sample=mra-oauth");
  const model = await app.model();
  await app.page.getByTestId("search").fill("authorize");
  await app.idle();
  const kept = model.messages.filter((m) => m.label.includes("authorize"));
  const dropped = model.messages.filter(
    (m) => !m.label.toLowerCase().includes("authorize") && m.kind !== "local",
  );
  expect(kept.length).toBeGreaterThan(1);
  await expect(app.page.getByTestId("row")).toHaveCount(kept.length);

  const grab = async (format: string): Promise<string> => {
    await app.page.getByTestId("export-menu").click();
    const [download] = await Promise.all([
      app.page.waitForEvent("download"),
      app.page.getByTestId(`export-${format}`).click(),
    ]);
    return saved(download, info.outputPath(download.suggestedFilename()));
  };

  const mermaid = await grab("mermaid");
  expect(mermaid).toContain("sequenceDiagram");
  for (const m of kept) expect(mermaid).toContain(m.label);
  for (const m of dropped.slice(0, 5)) expect(mermaid).not.toContain(m.label);

  const plantuml = await grab("plantuml");
  expect(plantuml).toContain("@startuml");
  expect(plantuml).toContain("@enduml");
  expect((plantuml.match(/->/g) ?? []).length).toBeGreaterThanOrEqual(kept.length);

  const csv = await grab("csv");
  const lines = csv.trim().split(/\r?\n/);
  expect(lines[0]).toContain("label");
  expect(lines).toHaveLength(kept.length + 1);

  const svg = await grab("svg");
  expect(svg).toMatch(/^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  // The diagram as drawn (at 1:1, with its labels), less the arrows the search hides.
  const drawn = [...svg.matchAll(/data-message-id="(\d+)"/g)].map((m) => Number(m[1]));
  expect(drawn.length).toBeGreaterThan(0);
  for (const id of drawn) expect(kept.map((m) => m.id)).toContain(id);
  expect(svg).toMatch(/<text[^>]*>[^<]*authorize/);
  expect(svg).toContain("Expressway-E");
  expect(svg).not.toContain('class="');

  await app.page.getByTestId("export-menu").click();
  const [png] = await Promise.all([
    app.page.waitForEvent("download"),
    app.page.getByTestId("export-png").click(),
  ]);
  const pngPath = info.outputPath("ladder.png");
  await png.saveAs(pngPath);
  const pngBytes = readFileSync(pngPath);
  expect(pngBytes.subarray(1, 4).toString()).toBe("PNG");
  expect(pngBytes.length).toBeGreaterThan(5000);
});
