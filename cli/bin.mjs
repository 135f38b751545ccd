#!/usr/bin/env node
// Runs the TypeScript CLI directly (no build step): tsx compiles it on the fly.
import { register } from "tsx/esm/api";

register();
const { main } = await import("./ucsnoop.ts");
process.exitCode = main(process.argv.slice(2));
