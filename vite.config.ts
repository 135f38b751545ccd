import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";

/**
 * Nothing a user drops may leave the machine: the built page forbids every network fetch but
 * its own origin (samples, worker). The dev server needs inline scripts for hot reload, so the
 * policy is added at build time only.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

function contentSecurityPolicy(): Plugin {
  return {
    name: "ucsnoop-csp",
    apply: "build",
    transformIndexHtml: () => [
      {
        tag: "meta",
        attrs: { "http-equiv": "Content-Security-Policy", content: CONTENT_SECURITY_POLICY },
        injectTo: "head-prepend",
      },
    ],
  };
}

export default defineConfig({
  root: "web",
  base: "./",
  publicDir: "../public",
  plugins: [react(), contentSecurityPolicy()],
  worker: { format: "es" },
  build: { outDir: "../dist", emptyOutDir: true },
  server: { port: 5173 },
});
