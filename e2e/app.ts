import {
  test as base,
  expect,
  type BrowserContext,
  type Locator,
  type Page,
  type Request,
  type TestInfo,
} from "@playwright/test";
import type { ModelJson } from "../parsers/model/json.ts";

/**
 * Every request a test's browser context makes, and the ones that went anywhere but the page's
 * own origin. The page may ask its own origin (the preview server) for its files and samples;
 * data: and blob: URLs never leave the browser; a file: URL only once the test itself opened a
 * page from disk. Anything else fails the test: no telemetry, no third-party fonts or scripts,
 * no log content sent anywhere. The context reports its Web Workers' requests too (module,
 * classic and blob: workers alike, checked when this was written).
 */
export class Network {
  readonly requests: string[] = [];
  readonly foreign: string[] = [];
  private fileOpened = false;

  constructor(private readonly origin: string) {}

  watch(context: BrowserContext): void {
    context.on("request", (r) => this.record(r));
  }

  private record(r: Request): void {
    const url = r.url();
    this.requests.push(url);
    if (/^file:/i.test(url) && r.isNavigationRequest()) this.fileOpened = true;
    if (!this.allowed(url)) this.foreign.push(url);
  }

  private allowed(url: string): boolean {
    if (/^(?:data|blob):/i.test(url)) return true;
    if (/^file:/i.test(url)) return this.fileOpened;
    try {
      return new URL(url).origin === this.origin;
    } catch {
      return false;
    }
  }

  /** The paths asked of the own origin (an injected `<img src=x>` would ask for /x). */
  paths(): string[] {
    return this.requests.flatMap((u) => {
      try {
        const url = new URL(u);
        return url.origin === this.origin ? [url.pathname] : [];
      } catch {
        return [];
      }
    });
  }
}

/**
 * Drives the page as a person does (open, click, type) and waits on the page's own idle hook,
 * never on sleeps. Every test also fails on a console error or an uncaught exception.
 */
export class App {
  constructor(
    readonly page: Page,
    private readonly info: TestInfo,
    readonly network: Network,
  ) {}

  async open(query = ""): Promise<void> {
    await this.page.goto(`/${query}`);
    await this.page.waitForFunction(() => window.ucsnoop !== undefined);
    await this.idle();
  }

  idle(): Promise<void> {
    return this.page.evaluate(() => window.ucsnoop!.whenIdle());
  }

  model(): Promise<ModelJson> {
    return this.page.evaluate(() => window.ucsnoop!.model());
  }

  /** The id of the first message with this label (and, if given, this from/to). */
  async messageId(label: string, from?: string, to?: string): Promise<number> {
    const m = (await this.model()).messages.find(
      (x) => x.label === label && (!from || x.from === from) && (!to || x.to === to),
    );
    expect(m, `a message labelled ${label}`).toBeTruthy();
    return m!.id;
  }

  arrows(): Locator {
    return this.page.getByTestId("message");
  }

  arrow(id: number): Locator {
    return this.page.locator(`[data-testid="message"][data-message-id="${id}"]`);
  }

  row(id: number): Locator {
    return this.page.locator(`[data-testid="row"][data-message-id="${id}"]`);
  }

  lanes(): Locator {
    return this.page.getByTestId("lane");
  }

  async laneIds(): Promise<string[]> {
    return this.lanes().evaluateAll((els) => els.map((e) => e.getAttribute("data-lane") ?? ""));
  }

  /** Zoom the diagram out until every arrow is drawn. */
  async fit(): Promise<void> {
    await this.page.getByRole("button", { name: "Fit all messages" }).click();
  }

  details(): Locator {
    return this.page.getByTestId("details");
  }

  async screenshot(name: string): Promise<void> {
    const path = this.info.outputPath(`${name}.png`);
    await this.page.screenshot({ path });
    await this.info.attach(name, { path, contentType: "image/png" });
  }
}

export const test = base.extend<{ app: App; network: Network }>({
  // Every test's context is watched, whether or not it drives the page through App.
  network: async ({ baseURL }, use) => {
    await use(new Network(new URL(baseURL!).origin));
  },
  context: async ({ context, network }, use) => {
    network.watch(context);
    await use(context);
    expect(network.foreign, "requests to other origins than the page's own").toEqual([]);
  },
  app: async ({ page, network }, use, info) => {
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (e) => errors.push(`page: ${e.message}`));
    await use(new App(page, info, network));
    expect(errors, "console errors").toEqual([]);
  },
});

export { expect };
