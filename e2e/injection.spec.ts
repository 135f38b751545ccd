import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Browser, BrowserContext, Download, Page } from "@playwright/test";
import type { ModelJson } from "../parsers/model/json.ts";
import { test, expect, type App } from "./app.ts";

/**
 * Log text is data: the hostile-text bundle (public/samples/hostile-text/) puts script, markup,
 * `javascript:` URLs, an XXE body, CSS, bidirectional controls and a 10 000-character token in
 * the fields that reach every view. Each view must show them as text: no script runs (no
 * dialog, no global set, no Content-Security-Policy violation, no request), no element is
 * injected, no bidi control reaches the page unmarked, and the long token leaves the layout
 * alone. The same holds in a snapshot opened from disk and in the exports.
 */

const DIR = fileURLToPath(new URL("../public/samples/hostile-text/", import.meta.url));
const VIEWER = fileURLToPath(new URL("../dist/ucsnoop.html", import.meta.url));
const FILES: string[] = JSON.parse(readFileSync(`${DIR}bundle.json`, "utf8")).files;
const SOURCE = FILES.map((f) => readFileSync(`${DIR}${f}`, "utf8")).join("\n");

const SCRIPT = "<script>window.__pwned=1</script>";
const IMG = '<img src=x onerror="window.__pwned=2">';
const JS_URL = "javascript:window.__pwned=3";
const SVG = '<svg onload="window.__pwned=4">';
const TEMPLATE = "{{constructor.constructor('window.__pwned=5')()}}";
const STYLE = "</style><style>*{display:none}";
const XXE = '<!ENTITY xxe SYSTEM "file:///etc/passwd">';
const FORMULA = '=HYPERLINK("http://x")';
const TOKEN = "0123456789abcdef".repeat(625);
const RLO = "\u202e";
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
const BIDI_ALL = new RegExp(BIDI.source, "g");

/** How the page shows a bidi control: a visible marker in its place. */
const marked = (text: string) =>
  text.replace(BIDI_ALL, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}⟩`);

test.beforeAll(() => {
  // The constants are the bundle's own text: a payload missing from it would test nothing.
  for (const p of [SCRIPT, IMG, JS_URL, SVG, TEMPLATE, STYLE, XXE, TOKEN, RLO, "\u2066", "\u2069"])
    expect(SOURCE, p.slice(0, 40)).toContain(p);
  expect(SOURCE).toContain("%3DHYPERLINK(%22http%3A%2F%2Fx%22)"); // FORMULA, URL-encoded
  expect(SOURCE.match(/0123456789abcdef[0-9a-f]*/g)?.some((t) => t.length === 10_000)).toBe(true);
});

interface Watch {
  dialogs: string[];
}

/** Record dialogs and CSP violations from the first document on. */
async function watchPage(page: Page): Promise<Watch> {
  const watch: Watch = { dialogs: [] };
  page.on("dialog", (d) => {
    watch.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      w.__violations.push(`${e.effectiveDirective} ${e.blockedURI}`),
    );
  });
  return watch;
}

interface DomState {
  pwned: unknown;
  violations: string[];
  scripts: string[];
  styles: number;
  injected: string[];
  links: number;
  handlers: string[];
  bidi: string[];
  display: string;
}

/** What a script or injected markup would change; compared with the same page without payloads. */
function domState(page: Page): Promise<DomState> {
  return page.evaluate((bidiSource) => {
    const w = window as unknown as { __pwned?: unknown; __violations?: string[] };
    const bidi = new RegExp(bidiSource);
    const all = [...document.querySelectorAll("*")];
    const handlers: string[] = [];
    const bidiAt: string[] = [];
    for (const el of all)
      for (const a of el.attributes) {
        if (/^on/i.test(a.name)) handlers.push(`${el.tagName} ${a.name}`);
        if (bidi.test(a.value)) bidiAt.push(`${el.tagName}[${a.name}]`);
      }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode())
      if (bidi.test(n.nodeValue ?? "")) bidiAt.push(`text in ${n.parentElement?.className || "?"}`);
    const injected = [
      'img[src="x"]',
      "svg[onload]",
      "iframe, frame, object, embed, foreignObject",
      '[href^="javascript:" i], [src^="javascript:" i], [action^="javascript:" i]',
    ].flatMap((s) => [...document.querySelectorAll(s)].map((e) => `${s}: ${e.outerHTML.slice(0, 80)}`));
    return {
      pwned: w.__pwned ?? null,
      violations: w.__violations ?? [],
      scripts: [...document.scripts].map((s) => `${s.type}|${s.src}`),
      styles: document.querySelectorAll("style, link[rel=stylesheet]").length,
      injected,
      links: document.querySelectorAll("a[href], area[href]").length,
      handlers,
      bidi: bidiAt,
      display: getComputedStyle(document.querySelector(".app")!).display,
    };
  }, BIDI.source);
}

async function expectInert(page: Page, watch: Watch, baseline: DomState, where: string): Promise<void> {
  const state = await domState(page);
  expect(state, where).toEqual({
    ...baseline,
    pwned: null,
    violations: [],
    injected: [],
    handlers: [],
    bidi: [],
  });
  expect(watch.dialogs, where).toEqual([]);
}

/** The page on a harmless sample (the baseline), then the hostile bundle opened as files. */
async function openHostile(
  app: App,
): Promise<{ watch: Watch; baseline: DomState; model: ModelJson; tableWidth: number }> {
  const watch = await watchPage(app.page);
  await app.open("?sample=ims-failures");
  const baseline = await domState(app.page);
  const tableWidth = await app.page.locator(".message-table .grid-scroll").evaluate((el) => el.scrollWidth);
  await app.page.getByTestId("file-input").setInputFiles(FILES.map((f) => `${DIR}${f}`));
  await app.page.waitForFunction(
    async (n) => (await window.ucsnoop!.model()).files.length === n,
    FILES.length,
  );
  await app.idle();
  const model = await app.model();
  expect(model.files.map((f) => f.name)).toEqual(FILES);
  return { watch, baseline, model, tableWidth };
}

function find(model: ModelJson, test: (m: ModelJson["messages"][number]) => boolean) {
  const m = model.messages.find(test);
  expect(m, "a message of the hostile bundle").toBeTruthy();
  return m!;
}

/** The messages that carry each payload, looked up by what the model made of the lines. */
function payloadMessages(model: ModelJson) {
  return {
    script: find(model, (m) => m.label.includes(SCRIPT)),
    jsUrl: find(model, (m) => m.label === `GET ${JS_URL}`),
    svg: find(model, (m) => m.label.includes(SVG)),
    register: find(model, (m) => m.label === "REGISTER"),
    token: find(model, (m) => m.label === `GET ${TOKEN}`),
    bidi: find(model, (m) => m.label.startsWith("GET nirmal") && m.label.includes(RLO)),
    soap: find(model, (m) => m.label === "SOAP login"),
    sso: find(model, (m) => m.label === "200 get_edge_sso"),
    lerr: find(model, (m) => m.label === "login error lerr 14"),
  };
}

/** No horizontal overflow: the long token wraps or is cut instead of widening its box. */
async function expectNoOverflow(page: Page, selector: string): Promise<void> {
  const [scroll, client] = await page
    .locator(selector)
    .first()
    .evaluate((el) => [el.scrollWidth, el.clientWidth]);
  expect(scroll, `${selector} scrolls sideways`).toBeLessThanOrEqual(client + 1);
}

test("hostile log text is shown as text in the diagram, table, details, findings and walkthrough", async ({
  app,
}) => {
  test.setTimeout(90_000);
  const { watch, baseline, model, tableWidth } = await openHostile(app);
  const at = payloadMessages(model);
  const { page } = app;
  await expectInert(page, watch, baseline, "after parsing");

  // Diagram: every arrow drawn, labels and lane hosts as text.
  await app.fit();
  await expect(app.arrows()).toHaveCount(model.messages.length);
  await expect(app.arrow(at.script.id)).toContainText(SCRIPT);
  await expect(app.arrow(at.jsUrl.id)).toContainText(JS_URL);
  await expect(app.arrow(at.svg.id)).toContainText(SVG);
  await expect(app.arrow(at.bidi.id)).toContainText("nirmal⟨U+202E⟩gpj.exe⟨U+2066⟩lri");
  await expect(page.locator('[data-lane="expe"] .lane-host')).toHaveText(`labucexpye01.${STYLE}`);
  // The token's label is cut with an ellipsis inside the diagram; its tooltip is bounded too.
  const label = await app
    .arrow(at.token.id)
    .locator("text.label")
    .evaluate((el) => {
      const own = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.nodeValue);
      const box = el.getBoundingClientRect();
      const svg = el.closest("svg")!.getBoundingClientRect();
      return {
        text: own.join(""),
        title: el.querySelector("title")?.textContent ?? "",
        inside: box.left >= svg.left - 1 && box.right <= svg.right + 1,
        clearOfTime: box.left >= el.parentElement!.querySelector("text.time")!.getBoundingClientRect().right,
      };
    });
  expect(label.text.startsWith("GET 0123456789abcdef")).toBe(true);
  expect(label.text.endsWith("…")).toBe(true);
  expect(label.text.length).toBeLessThan(200);
  expect(label.title.length).toBeLessThanOrEqual(300);
  expect(label.inside).toBe(true);
  expect(label.clearOfTime).toBe(true);
  await expect(app.arrow(at.token.id)).toHaveAttribute("aria-label", /^.{0,400}$/);
  await expectInert(page, watch, baseline, "diagram");
  await app.screenshot("hostile-diagram");

  // Table and details, message by message.
  const details = app.details();
  const show = async (id: number) => {
    await app.arrow(id).click();
    await expect(app.arrow(id)).toHaveAttribute("data-selected", "true");
    await expect(app.row(id)).toBeVisible();
    await expect(details.getByTestId("raw-record").first()).toBeVisible();
  };
  await show(at.script.id);
  await expect(app.row(at.script.id)).toContainText(SCRIPT);
  await expect(details.locator(".summary-label")).toHaveText(at.script.label);
  await expect(details.getByTestId("raw-lines")).toContainText(`HTTP/1.1 403 ${SCRIPT}`);

  await show(at.jsUrl.id);
  await expect(app.row(at.jsUrl.id)).toContainText(JS_URL);
  await expect(app.row(at.jsUrl.id).locator(".col-user")).toHaveText(IMG);
  await expect(details).toContainText(IMG);

  await show(at.register.id);
  await expect(app.row(at.register.id).locator(".col-user")).toHaveText(TEMPLATE);
  await expect(app.row(at.register.id).locator(".col-dialog")).toContainText(SVG);
  const register = details.getByTestId("raw-lines");
  await expect(register).toContainText(`User-Agent: ${SCRIPT}`);
  await expect(register).toContainText(`Contact: <${JS_URL}>`);
  await expect(register).toContainText(`To: <sip:${TEMPLATE}@cucm1.ccie.com>`);
  await expect(register).toContainText("X-Cisco-Note: nirmal⟨U+202E⟩gpj.exe");
  await expectInert(page, watch, baseline, "REGISTER details");

  await show(at.svg.id);
  await expect(app.row(at.svg.id)).toContainText(SVG);
  await expect(details.getByTestId("raw-lines")).toContainText(`Warning: 399 cucm1.ccie.com "=HYPERLINK(`);

  await show(at.soap.id);
  await expect(details.getByTestId("raw-lines")).toContainText(XXE);
  await expect(details.getByTestId("raw-lines")).toContainText("<ns1:username>&xxe;</ns1:username>");
  // The XML pretty-printer tokenises; it resolves no entity and fetches no DTD.
  const soapXml = details.locator("details.pretty").filter({ hasText: "SOAP / XML" });
  await expect(soapXml).toContainText("&xxe;");
  await expect(soapXml).not.toContainText("root:");

  await show(at.sso.id);
  await expect(details.getByTestId("raw-lines")).toContainText(
    '<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=4">',
  );
  await expect(details.getByTestId("raw-lines")).toContainText(`<a href="${JS_URL}">${TEMPLATE}</a>`);
  await expectInert(page, watch, baseline, "XML details");

  await show(at.bidi.id);
  await expect(app.row(at.bidi.id).locator(".col-label")).toHaveText(marked(at.bidi.label));
  await expect(app.row(at.bidi.id).locator(".col-user")).toHaveText(FORMULA);
  await expect(details.locator(".summary-label")).toHaveText(marked(at.bidi.label));
  await expect(details.getByTestId("raw-lines")).toContainText("nirmal⟨U+202E⟩gpj.exe⟨U+2066⟩lri⟨U+2067⟩rli");
  await app.screenshot("hostile-bidi");

  await show(at.token.id);
  await expect(details.locator(".summary-label")).toHaveText(at.token.label);
  await expectNoOverflow(page, '[data-testid="details"]');
  await expectNoOverflow(page, "aside.right");
  // The table cell ellipsises the token: the row keeps the width of every other row.
  const cell = await app
    .row(at.token.id)
    .locator(".col-label")
    .evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  expect(cell.scroll).toBeGreaterThan(cell.client);
  const width = async (id: number) => (await app.row(id).boundingBox())!.width;
  expect(await width(at.token.id)).toBe(await width(at.bidi.id));
  const grid = page.locator(".message-table .grid-scroll");
  expect(await grid.evaluate((el) => el.scrollWidth), "the table's width").toBe(tableWidth);
  await expectInert(page, watch, baseline, "table and details");
  await app.screenshot("hostile-token-details");

  // Findings: the explanations quote the labels they saw; the evidence is the payload lines.
  const findings = page.getByTestId("finding");
  await expect(findings).toHaveCount(model.findings.length);
  const quoted: Record<string, string> = { "uds-edge-http-refused": SCRIPT, "sip-register-rejected": SVG };
  for (const f of model.findings) {
    const item = page.locator(`[data-testid="finding"][data-finding="${f.id}"]`);
    await item.getByRole("button", { name: /Select its evidence/ }).click();
    const body = item.getByTestId("finding-body");
    await expect(body).toContainText(marked(f.explanation));
    if (quoted[f.id]) await expect(body).toContainText(quoted[f.id]!);
    await expect(app.arrow(f.evidence[0]!)).toHaveAttribute("data-selected", "true");
    await expect(details.getByTestId("raw-record").first()).toBeVisible();
  }
  expect(Object.keys(quoted).every((id) => model.findings.some((f) => f.id === id))).toBe(true);
  const lerr = page.locator('[data-testid="finding"][data-finding="jabber-lerr-14"]');
  await lerr.getByRole("button", { name: /Select its evidence/ }).click();
  await expect(app.arrow(at.lerr.id)).toHaveAttribute("data-selected", "true");
  await expect(details.getByTestId("raw-lines")).toContainText(`lerr:14 ${IMG}`);
  await expectInert(page, watch, baseline, "findings");
  await app.screenshot("hostile-findings");

  // Walkthrough: users in the session titles, labels in the narration, raw lines, every step.
  await page.getByTestId("walkthrough-toggle").click();
  const card = page.getByTestId("walkthrough");
  const sessions = card.getByTestId("walk-session");
  for (const user of [IMG, FORMULA, TEMPLATE, "&xxe;"]) await expect(sessions).toContainText(user);
  for (let s = 0; s < model.sessions.length; s++) {
    await sessions.selectOption(String(s));
    const session = model.sessions[s]!;
    for (let step = 0; step < session.messages.length; step++) {
      const m = model.messages[session.messages[step]!]!;
      await expect(card.getByText(`Step ${step + 1} of ${session.messages.length}`)).toBeVisible();
      await expect(card.getByTestId("narration")).toContainText(marked(m.label));
      await expect(card.getByTestId("walk-raw").first()).toBeVisible();
      if (m.id === at.token.id) {
        await expectNoOverflow(page, '[data-testid="walkthrough"]');
        await app.screenshot("hostile-walkthrough-token");
      }
      if (step < session.messages.length - 1) await card.getByRole("button", { name: "Next step" }).click();
    }
    await expectInert(page, watch, baseline, `walkthrough session ${s}`);
  }
  expect(model.sessions.some((s) => s.messages.includes(at.token.id))).toBe(true);

  // Nothing the payloads name was asked for: no /x (the img), no DTD, no javascript: URL.
  expect(app.network.paths().filter((p) => p === "/x" || /evil|attacker|passwd/.test(p))).toEqual([]);
  expect(app.network.requests.filter((u) => /attacker|javascript:|\/x$/.test(u))).toEqual([]);
});

async function saved(download: Download, path: string): Promise<string> {
  await download.saveAs(path);
  return readFileSync(path, "utf8");
}

/** RFC 4180 rows of cells, quotes undone: what a spreadsheet reads. */
function csvCells(csv: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i]!;
    if (quoted && c === '"' && csv[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ",") {
      row.push(cell);
      cell = "";
    } else if (!quoted && c === "\r" && csv[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else {
      cell += c;
    }
  }
  return rows;
}

/** The text of each message line of a Mermaid or PlantUML ladder, after the arrow's `: `. */
function messageTexts(text: string, arrow: RegExp): string[] {
  return text
    .split("\n")
    .filter((l) => arrow.test(l))
    .map((l) => l.slice(l.indexOf(": ") + 2));
}

interface Offline {
  context: BrowserContext;
  page: Page;
  watch: Watch;
  requests: string[];
}

/** A context that lets nothing but file:, data: and blob: through, with a page opened on a file. */
async function openOffline(browser: Browser, path: string): Promise<Offline> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const requests: string[] = [];
  context.on("request", (r) => requests.push(r.url()));
  await context.route("**/*", (r) =>
    /^(?:file|data|blob):/.test(r.request().url()) ? r.continue() : r.abort(),
  );
  const page = await context.newPage();
  const watch = await watchPage(page);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(pathToFileURL(path).href);
  expect(errors).toEqual([]);
  return { context, page, watch, requests };
}

async function started(page: Page): Promise<void> {
  await page.waitForFunction(() => window.ucsnoop !== undefined);
  await page.evaluate(() => window.ucsnoop!.whenIdle());
}

test("the SVG, Mermaid, PlantUML and CSV exports carry the payloads as escaped text", async ({
  app,
  browser,
}, info) => {
  const { watch, baseline, model } = await openHostile(app);
  const at = payloadMessages(model);
  await app.fit();
  const grab = async (format: string): Promise<{ text: string; path: string }> => {
    await app.page.getByTestId("export-menu").click();
    const [download] = await Promise.all([
      app.page.waitForEvent("download"),
      app.page.getByTestId(`export-${format}`).click(),
    ]);
    const path = info.outputPath(`hostile.${format}`);
    return { text: await saved(download, path), path };
  };

  const svg = await grab("svg");
  expect(svg.text).not.toMatch(/<script|<foreignObject|<iframe|<img\b|<image\b/i);
  expect(svg.text).toContain("&lt;script&gt;window.__pwned=1&lt;/script&gt;");
  expect(svg.text).not.toMatch(BIDI);
  expect(svg.text).toContain("⟨U+202E⟩");
  // Parsed as the image it is (no script runs in a DOMParser document).
  const parsed = await app.page.evaluate(
    ({ text, id }) => {
      const doc = new DOMParser().parseFromString(text, "image/svg+xml");
      const all = [...doc.querySelectorAll("*")];
      return {
        error: doc.querySelector("parsererror")?.textContent ?? null,
        root: doc.documentElement.tagName,
        scripts: doc.querySelectorAll("script, foreignObject, iframe, image, use").length,
        handlers: all.flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => a.name)),
        links: all.filter((e) => e.hasAttribute("href") || e.hasAttribute("xlink:href")).length,
        arrow: doc.querySelector(`[data-message-id="${id}"]`)?.textContent ?? "",
      };
    },
    { text: svg.text, id: at.script.id },
  );
  expect(parsed).toMatchObject({ error: null, root: "svg", scripts: 0, handlers: [], links: 0 });
  expect(parsed.arrow).toContain(at.script.label);

  // One message a line (no label ended its line and began a directive), its text escaped.
  const mermaid = (await grab("mermaid")).text;
  const mermaidTexts = messageTexts(mermaid, /^ {2}\w+(?:->>|-->>|-x|--x)\w+: /);
  expect(mermaidTexts).toHaveLength(model.messages.length);
  expect(mermaidTexts.filter((t) => /[<>{}"]/.test(t))).toEqual([]);
  expect(mermaid).toContain("403 #60;script#62;window.__pwned=1#60;/script#62;");
  expect(mermaid).not.toMatch(BIDI);
  const plantuml = (await grab("plantuml")).text;
  const plantumlTexts = messageTexts(plantuml, /^\w+ --?(?:\[#red\])?> \w+ : /);
  expect(plantumlTexts).toHaveLength(model.messages.length);
  expect(plantumlTexts.filter((t) => /[<>"\\]|\[\[/.test(t))).toEqual([]);
  expect(plantuml).toContain("&#60;svg onload=&#34;window.&#95;_pwned=4&#34;&#62;");
  expect(plantuml).not.toMatch(BIDI);

  const csv = (await grab("csv")).text;
  const rows = csvCells(csv);
  expect(rows).toHaveLength(model.messages.length + 1);
  const cells = rows.flat();
  expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
  expect(cells).toContain(`'${FORMULA}`);
  expect(cells).toContain(IMG);
  expect(csv).not.toMatch(BIDI);
  await expectInert(app.page, watch, baseline, "after the exports");

  // The SVG file opened on its own in a browser runs nothing either.
  const offline = await openOffline(browser, svg.path);
  await expect(offline.page.locator("svg").first()).toBeAttached();
  const state = await offline.page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: unknown }).__pwned ?? null,
    text: document.documentElement.textContent ?? "",
  }));
  expect(state.pwned).toBeNull();
  expect(state.text).toContain(SCRIPT);
  expect(offline.watch.dialogs).toEqual([]);
  expect(offline.requests.filter((u) => !u.startsWith("file:"))).toEqual([]);
  await offline.context.close();
});

test("a snapshot of the hostile bundle shows the payloads as text and requests nothing", async ({
  app,
  browser,
}, info) => {
  test.setTimeout(60_000);
  const { model } = await openHostile(app);
  const at = payloadMessages(model);
  await app.page.getByTestId("export-snapshot").click();
  const dialog = app.page.getByTestId("export-dialog");
  await expect(dialog).toBeVisible();
  const [download] = await Promise.all([
    app.page.waitForEvent("download"),
    dialog.getByTestId("export-confirm").click(),
  ]);
  const path = info.outputPath("hostile-snapshot.html");
  const html = await saved(download, path);
  // The log text is inside the gzip+base64 data block only: never markup of the page.
  for (const p of [SCRIPT, IMG, SVG, TEMPLATE, STYLE, XXE]) expect(html.includes(p), p).toBe(false);

  // The viewer without data is the baseline of what the snapshot page may hold.
  const empty = await openOffline(browser, VIEWER);
  await started(empty.page);
  const baseline = await domState(empty.page);
  await empty.context.close();

  const { context, page, watch, requests } = await openOffline(browser, path);
  await started(page);
  await page.getByRole("button", { name: "Fit all messages" }).click();
  const arrow = (id: number) => page.locator(`[data-testid="message"][data-message-id="${id}"]`);
  await expect(page.getByTestId("message")).toHaveCount(model.messages.length);
  await expect(arrow(at.script.id)).toContainText(SCRIPT);
  await expect(arrow(at.bidi.id)).toContainText("nirmal⟨U+202E⟩gpj.exe");
  await expect(page.locator('[data-lane="expe"] .lane-host')).toHaveText(`labucexpye01.${STYLE}`);
  await expectInert(page, watch, baseline, "snapshot diagram");

  const details = page.getByTestId("details");
  for (const [m, text] of [
    [at.script, `HTTP/1.1 403 ${SCRIPT}`],
    [at.register, `User-Agent: ${SCRIPT}`],
    [at.soap, XXE],
    [at.sso, `<a href="${JS_URL}">${TEMPLATE}</a>`],
    [at.lerr, `lerr:14 ${IMG}`],
  ] as const) {
    await arrow(m.id).click();
    await expect(details.getByTestId("raw-lines").first()).toContainText(text);
  }
  await arrow(at.token.id).click();
  await expect(details.locator(".summary-label")).toHaveText(at.token.label);
  const shot = info.outputPath("hostile-snapshot.png");
  await page.screenshot({ path: shot });
  await info.attach("hostile-snapshot", { path: shot, contentType: "image/png" });
  await expectInert(page, watch, baseline, "snapshot details");

  const finding = page.locator('[data-testid="finding"][data-finding="uds-edge-http-refused"]');
  await finding.getByRole("button", { name: /Select its evidence/ }).click();
  await expect(finding.getByTestId("finding-body")).toContainText(SCRIPT);
  await page.getByTestId("walkthrough-toggle").click();
  await expect(page.getByTestId("walk-session")).toContainText(IMG);
  await expect(page.getByTestId("narration")).not.toBeEmpty();
  await expectInert(page, watch, baseline, "snapshot findings and walkthrough");

  // A snapshot requests nothing: the file itself, and what never leaves the browser.
  expect(requests.filter((u) => u !== pathToFileURL(path).href && !/^(?:data|blob):/.test(u))).toEqual([]);
  await context.close();
});
