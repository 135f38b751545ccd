#!/usr/bin/env node
// Runs the TypeScript CLI directly (no build step): tsx compiles it on the fly.
import { register } from "tsx/esm/api";

register();
// `ucsnoop ladder ... | head` closes the pipe early: that is not an error.
process.stdout.on("error", (err) => {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
});
const { main } = await import("./ucsnoop.ts");
process.exitCode = await main(process.argv.slice(2));
