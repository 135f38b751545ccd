import { test as base, expect, type Locator, type Page, type TestInfo } from "@playwright/test";
import type { ModelJson } from "../parsers/model/json.ts";

/**
 * Drives the page as a person does (open, click, type) and waits on the page's own idle hook,
 * never on sleeps. Every test also fails on a console error or an uncaught exception.
 */
export class App {
  constructor(
    readonly page: Page,
    private readonly info: TestInfo,
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

export const test = base.extend<{ app: App }>({
  app: async ({ page }, use, info) => {
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (e) => errors.push(`page: ${e.message}`));
    await use(new App(page, info));
    expect(errors, "console errors").toEqual([]);
  },
});

export { expect };
