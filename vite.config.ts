import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build, defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";

/**
 * Nothing a user drops may leave the machine: the built page forbids every network fetch but
 * its own origin (samples, worker). The dev server needs inline scripts for hot reload, so the
 * policy is added at build time only.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

/**
 * The single-file viewer (and every snapshot made from it) fetches nothing at all: its script
 * and style are inline, its workers blob: URLs made from inlined code, and no http(s) URL is
 * allowed for anything.
 */
export const SINGLE_FILE_POLICY =
  "default-src 'none'; script-src 'unsafe-inline' blob:; worker-src blob:; style-src 'unsafe-inline'; " +
  "img-src data: blob:; connect-src blob: data:; font-src data:; object-src 'none'; base-uri 'none'; form-action 'none'";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const DIST = here("./dist");
const SINGLE_OUT = here("./dist/.single");

function contentSecurityPolicy(policy: string): Plugin {
  return {
    name: "ucsnoop-csp",
    apply: "build",
    transformIndexHtml: () => [
      {
        tag: "meta",
        attrs: { "http-equiv": "Content-Security-Policy", content: policy },
        injectTo: "head-prepend",
      },
    ],
  };
}

/** Script text that cannot end its `<script>` element early or open an HTML comment in it. */
function inlineScriptText(js: string): string {
  return js.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\u0021--");
}

/**
 * The served build also builds the single-file viewer (`vite build --mode single`) and writes
 * `dist/ucsnoop.html`: its one script and one stylesheet are inlined into the page.
 */
function singleFileViewer(): Plugin {
  return {
    name: "ucsnoop-single-file",
    apply: "build",
    async closeBundle() {
      await build({ configFile: here("./vite.config.ts"), mode: "single", logLevel: "warn" });
      let html = readFileSync(`${SINGLE_OUT}/index.html`, "utf8");
      const asset = (src: string) => readFileSync(`${SINGLE_OUT}/${src.replace(/^\.\//, "")}`, "utf8");
      html = html.replace(
        /<script\b([^>]*)\bsrc="([^"]+)"([^>]*)><\/script>/g,
        (_all, a: string, src: string, b: string) => {
          const attrs = `${a}${b}`.replace(/\s*crossorigin\b/g, "").trimEnd();
          return `<script${attrs}>${inlineScriptText(asset(src))}</script>`;
        },
      );
      html = html.replace(
        /<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"[^>]*>/g,
        (_all, href: string) => `<style>${asset(href).replace(/<\/(style)/gi, "<\\/$1")}</style>`,
      );
      html = html.replace(/<link\b[^>]*\brel="modulepreload"[^>]*>\s*/g, "");
      if (/\b(?:src|href)="\.?\/?assets\//.test(html))
        throw new Error("ucsnoop.html still refers to a file of its own build");
      mkdirSync(DIST, { recursive: true });
      writeFileSync(`${DIST}/ucsnoop.html`, html);
      rmSync(SINGLE_OUT, { recursive: true, force: true });
    },
  };
}

export default defineConfig(({ mode }) =>
  mode === "single"
    ? {
        root: "web",
        base: "./",
        publicDir: false,
        plugins: [react(), contentSecurityPolicy(SINGLE_FILE_POLICY)],
        resolve: {
          alias: [{ find: /^\.\/workerFactory\.ts$/, replacement: here("./web/single/workerFactory.ts") }],
        },
        worker: { format: "iife" },
        build: {
          outDir: SINGLE_OUT,
          emptyOutDir: true,
          cssCodeSplit: false,
          modulePreload: false,
          assetsInlineLimit: Number.MAX_SAFE_INTEGER,
          rolldownOptions: { output: { codeSplitting: false } },
        },
      }
    : {
        root: "web",
        base: "./",
        publicDir: "../public",
        plugins: [react(), contentSecurityPolicy(CONTENT_SECURITY_POLICY), singleFileViewer()],
        worker: { format: "es" },
        build: { outDir: "../dist", emptyOutDir: true },
        server: { port: 5173 },
        // Served as a header too: a <meta> policy binds the page but not a worker loaded from a
        // URL, which takes its policy from its own response. So the workers may fetch nothing
        // but the page's origin either. (Deploying dist/ elsewhere: send this header.)
        preview: { headers: { "Content-Security-Policy": CONTENT_SECURITY_POLICY } },
      },
);
