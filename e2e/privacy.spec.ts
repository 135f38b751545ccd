import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test, expect, Network } from "./app.ts";

/**
 * Privacy (issue #8): the page asks nothing of any host but its own origin (every test's
 * requests are checked by the fixture in app.ts; the first test here shows that check catches a
 * page's and a worker's request), keeps no log content in the browser's storage, and its build
 * carries no telemetry.
 */

const SAMPLES = fileURLToPath(new URL("../public/samples/", import.meta.url));
const DIST = fileURLToPath(new URL("../dist/", import.meta.url));
/** A user name no sample holds: found in storage, it could only have come from the dropped file. */
const MARKER = "zqprivacyuser";

test("the request check catches what a page or a worker asks of another origin", async ({
  browser,
  baseURL,
}) => {
  const origin = new URL(baseURL!).origin;
  const context = await browser.newContext();
  const network = new Network(origin);
  network.watch(context);
  // A page of the own origin without the built page's policy, so the requests are really made.
  await context.route(`${origin}/privacy-probe.html`, (r) =>
    r.fulfill({ contentType: "text/html", body: "<!doctype html><title>probe</title>" }),
  );
  await context.route("http://127.0.0.1:9/**", (r) => r.abort());
  const page = await context.newPage();
  await page.goto(`${origin}/privacy-probe.html`);
  await page.evaluate(async () => {
    await fetch(`${location.origin}/samples/index.json`);
    await fetch("http://127.0.0.1:9/from-page").catch(() => undefined);
    const code = `fetch("http://127.0.0.1:9/from-worker").catch(() => 0).then(() => postMessage(1));`;
    const worker = new Worker(URL.createObjectURL(new Blob([code], { type: "text/javascript" })));
    await new Promise((resolve) => (worker.onmessage = resolve));
  });
  expect(network.requests).toContain(`${origin}/samples/index.json`);
  expect(network.foreign).toEqual(["http://127.0.0.1:9/from-page", "http://127.0.0.1:9/from-worker"]);
  await context.close();
});

test("nothing of the logs is kept in storage, cookies or caches after using every view", async ({
  app,
  context,
}) => {
  const { page } = app;
  await app.open("?sample=mra-oauth");
  const sampleFiles = (await app.model()).files.map((f) => f.name);
  // The MRA login with its user renamed, and a failing login (a finding) of the same user.
  const file = (name: string, path: string, user: string) => ({
    name,
    mimeType: "text/plain",
    buffer: Buffer.from(readFileSync(`${SAMPLES}${path}`, "utf8").replaceAll(user, MARKER)),
  });
  const dropped = [
    ...["expressway-c.log", "expressway-e.log", "jabber.log"].map((f) =>
      file(f, `mra-oauth/${f}`, "aokanlawon"),
    ),
    file("jabber-lerr14.log", "lerr14-failure/jabber.log", "nirmal"),
  ];
  for (const f of dropped) expect(f.buffer.toString(), f.name).toContain(MARKER);
  await page.getByTestId("file-input").setInputFiles(dropped);
  await page.waitForFunction(async (n) => (await window.ucsnoop!.model()).files.length === n, dropped.length);
  await app.idle();
  const model = await app.model();
  const mine = model.messages.find((m) => m.user === MARKER);
  expect(mine, "a message of the dropped file's user").toBeTruthy();

  // The views: diagram and details, search, a column filter and sort, findings, walkthrough,
  // the export menu, the theme.
  await app.fit();
  await app.arrow(mine!.id).click();
  await expect(app.details()).toContainText(MARKER);
  await page.getByTestId("search").fill(MARKER);
  await app.idle();
  await expect(page.getByTestId("row").first()).toContainText(MARKER);
  await page.getByTestId("search").fill("");
  await page.getByTestId("filter-user").fill(MARKER);
  await app.idle();
  await page.getByTestId("filter-user").fill("");
  await page.getByRole("columnheader", { name: "Message" }).getByRole("button").click();
  await app.idle();
  const finding = page.getByTestId("finding").first();
  await finding.getByRole("button", { name: /Select its evidence/ }).click();
  await expect(finding.getByTestId("finding-body")).toBeVisible();
  await page.getByTestId("walkthrough-toggle").click();
  await page.getByRole("button", { name: "Next step" }).click();
  await page.getByRole("button", { name: "Leave the walkthrough" }).click();
  await page.getByTestId("export-menu").click();
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: /Switch to (dark|light) theme/ }).click();
  await app.idle();

  const stored = await page.evaluate(async () => {
    const entries = (s: Storage) => Object.fromEntries(Object.keys(s).map((k) => [k, s.getItem(k)]));
    const root = await navigator.storage.getDirectory();
    const files: string[] = [];
    for await (const name of (root as unknown as { keys(): AsyncIterable<string> }).keys()) files.push(name);
    return {
      local: entries(localStorage),
      session: entries(sessionStorage),
      indexedDB: (await indexedDB.databases()).map((d) => d.name),
      caches: await caches.keys(),
      serviceWorkers: (await navigator.serviceWorker.getRegistrations()).length,
      originPrivateFiles: files,
      cookie: document.cookie,
    };
  });
  // Only the theme, which the user chose: no log line, name or host, no model, no view state.
  expect(stored).toEqual({
    local: { "ucsnoop.theme": expect.stringMatching(/^(?:light|dark)$/) },
    session: {},
    indexedDB: [],
    caches: [],
    serviceWorkers: 0,
    originPrivateFiles: [],
    cookie: "",
  });
  expect(await context.cookies()).toEqual([]);

  // A reload opens the default sample: the dropped logs were kept nowhere.
  await page.reload();
  await page.waitForFunction(() => window.ucsnoop !== undefined);
  await app.idle();
  const again = await app.model();
  expect(again.files.map((f) => f.name)).toEqual(sampleFiles);
  expect(again.messages.some((m) => m.user === MARKER)).toBe(false);
});

test("the build carries no telemetry: no beacon, socket or request to an absolute URL", () => {
  const files = [
    ...readdirSync(`${DIST}assets`)
      .filter((f) => f.endsWith(".js"))
      .map((f) => `assets/${f}`),
    "index.html",
    "ucsnoop.html",
  ];
  expect(files.filter((f) => f.startsWith("assets/")).length).toBeGreaterThan(1);
  // XML namespaces name, they are not fetched; React's error messages link to its decoder.
  const inert = new Set([
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/XML/1998/namespace",
    "http://www.w3.org/1998/Math/MathML",
    "http://www.w3.org/2000/xmlns/",
    "https://react.dev/errors/",
  ]);
  for (const f of files) {
    const text = readFileSync(`${DIST}${f}`, "utf8");
    // The matches, not the whole bundle, in a failure's message.
    const found = (re: RegExp) => text.match(re) ?? [];
    expect(found(/sendBeacon|WebSocket|EventSource|XMLHttpRequest|serviceWorker|importScripts/g), f).toEqual(
      [],
    );
    expect(found(/\bfetch\(\s*[`'"](?:https?:)?\/\/[^`'"]*/g), f).toEqual([]);
    expect(
      found(/\b(?:google-analytics|googletagmanager|sentry|posthog|mixpanel|plausible|segment\.io)\b/gi),
      f,
    ).toEqual([]);
    const urls = [...text.matchAll(/https?:\/\/[A-Za-z0-9._~:/?#@!$&'()*+,;=%-]*/g)].map((m) =>
      m[0].replace(/%27.*$|['"`)].*$/, ""),
    );
    expect(
      urls.filter((u) => !inert.has(u)),
      `${f}: absolute URLs`,
    ).toEqual([]);
  }
  // And the served page's policy lets it connect to its own origin only.
  expect(readFileSync(`${DIST}index.html`, "utf8")).toMatch(/connect-src (?:'|&#39;)self(?:'|&#39;)[;"]/);
});

test("the page and its workers are served with the policy as a header: a worker may fetch only the page's origin", async ({
  app,
}) => {
  // A <meta> policy binds the page only; a worker loaded from a URL takes its policy from its own
  // response. The preview server sends it with every file (vite.config.ts), workers included.
  await app.open("?sample=mra-oauth");
  const meta = await app.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  const workers = readdirSync(`${DIST}assets`).filter((f) => /^(?:worker|parseWorker)-.*\.js$/.test(f));
  expect(workers).toHaveLength(2);
  for (const path of ["/", ...workers.map((w) => `/assets/${w}`)]) {
    const response = await app.page.request.get(path);
    expect(response.headers()["content-security-policy"], path).toBe(meta);
  }
  expect(meta).toContain("connect-src 'self'");
});
