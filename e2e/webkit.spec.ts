import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { test, expect } from "@playwright/test";
import { WebKitSession } from "./webdriver.ts";

/** A snapshot opened from disk in WebKit (WebKitGTK: the engine of Safari). */
const SAMPLE = ["expressway-e.log", "expressway-c.log", "jabber.log"].map((f) =>
  fileURLToPath(new URL(`../public/samples/mra-oauth/${f}`, import.meta.url)),
);

test("a snapshot opens from disk in WebKit and draws its ladder", async ({
  browserName: _browserName,
}, info) => {
  test.setTimeout(90_000);
  const out = info.outputPath("snapshot.html");
  execFileSync(process.execPath, ["cli/bin.mjs", "snapshot", ...SAMPLE, "-o", out], { stdio: "pipe" });
  const webkit = await WebKitSession.start(4445 + info.workerIndex);
  try {
    await webkit.goto(`file://${out}`);
    let arrows = 0;
    for (let i = 0; i < 120 && arrows === 0; i++) {
      await new Promise((r) => setTimeout(r, 250));
      arrows = await webkit.run<number>("return document.querySelectorAll('[data-testid=message]').length");
    }
    expect(arrows).toBeGreaterThan(5);
    const seen = await webkit.runAsync<{ messages: number; engine: boolean; network: string[] }>(
      `const done = arguments[0];
       window.ucsnoop.whenIdle().then(() => window.ucsnoop.model()).then((m) => done({
         messages: m.messages.length,
         engine: /AppleWebKit/.test(navigator.userAgent),
         network: performance.getEntriesByType("resource").map((e) => e.name.split(":")[0]).filter((s) => !["file", "data", "blob"].includes(s)),
       }));`,
    );
    expect(seen).toEqual({ messages: 23, engine: true, network: [] });
  } finally {
    await webkit.close();
  }
});
