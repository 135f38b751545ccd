import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { readRawLines, type Loaded } from "./load.ts";
import { defaultThreads, loadPathsInParallel } from "./parallel.ts";
import { ladderText, toColumns, toJson } from "../parsers/model/json.ts";
import { exportLadder, type ExportFormat } from "../parsers/share/export.ts";
import { createPseudonymizer } from "../parsers/share/redact.ts";
import { embedSnapshot, encodeSnapshot, snapshotPayload } from "../parsers/share/snapshot.ts";

const USAGE = `ucsnoop: explain a Cisco collaboration login from its logs

Usage:
  ucsnoop ladder PATH... [--json]   print the ladder (one message a line), or the model as JSON
  ucsnoop stats PATH...             print counts and timings as one JSON object
  ucsnoop export PATH... --format mermaid|plantuml|csv [--no-redact] [--pseudonyms] [-o FILE]
                                    the ladder as a Mermaid or PlantUML sequence diagram, or the
                                    table as CSV (to standard output without -o)
  ucsnoop snapshot PATH... -o out.html [--no-redact] [--pseudonyms]
                                    one offline HTML file: the viewer (dist/ucsnoop.html, from
                                    npm run build) with the ladder and its raw lines in it
  ucsnoop help

PATH is a log file or a folder (read recursively). Logs are parsed on --threads N threads in
all (default: one per core, once there are 96 MiB of logs), the biggest first; the model is the
same whatever N. Exports and snapshots are redacted (passwords, Authorization and Cookie values, OAuth codes and tokens,
JWTs, SASL payloads, SSO tokens) unless --no-redact; --pseudonyms also replaces users, hosts
and IP addresses.

Exit codes (the command still does its work with the files it could read; when several
apply, the lowest wins):
  0  done
  1  an unexpected error
  2  bad arguments
  3  a path could not be read (missing, not permitted, a read failed midway)
  4  no file is in a format ucsnoop knows (nothing to show)
  5  an archive limit was exceeded (size, compression ratio, members, nesting depth)`;

/** The exit codes, as documented in USAGE and the README. */
export const EXIT = { ok: 0, error: 1, usage: 2, unreadable: 3, unknownOnly: 4, limit: 5 } as const;

/** One line per failure class on standard error, and the exit code of the worst. */
function problemsOf(loaded: Loaded, err: (s: string) => void): number {
  const { unreadable, limits } = loaded.problems;
  const known = loaded.model.files.some((f) => f.source !== "unknown");
  let code: number = EXIT.ok;
  const worst = (c: number) => {
    if (code === EXIT.ok || c < code) code = c;
  };
  if (unreadable.length) {
    err(
      `ucsnoop: cannot read ${unreadable.length === 1 ? "" : `${unreadable.length} paths: `}${unreadable.join("; ")}`,
    );
    worst(EXIT.unreadable);
  }
  if (!known) {
    const n = loaded.model.files.length;
    err(
      `ucsnoop: no file in a known format${n ? ` (${n} file${n === 1 ? "" : "s"} read, none recognised)` : ""}`,
    );
    worst(EXIT.unknownOnly);
  }
  if (limits.length) {
    err(`ucsnoop: archive limit exceeded: ${limits.join("; ")}`);
    worst(EXIT.limit);
  }
  return code;
}

/** Where the single-file viewer is built (npm run build). */
export const VIEWER_PATH = fileURLToPath(new URL("../dist/ucsnoop.html", import.meta.url));

export interface CliEnv {
  /** The single-file viewer a snapshot is built on (tests point it elsewhere). */
  viewerPath?: string;
}

const VALUE_OPTIONS = new Set(["-o", "--output", "--format", "--threads"]);
const FORMATS: ExportFormat[] = ["mermaid", "plantuml", "csv"];

/** Flags (`--json`), options with a value (`-o FILE`, `--format=csv`) and paths. */
function parseArgs(args: string[]): { flags: Set<string>; values: Map<string, string>; paths: string[] } {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.startsWith("--") ? a.indexOf("=") : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (VALUE_OPTIONS.has(name)) {
      const value = eq > 0 ? a.slice(eq + 1) : args[++i];
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      values.set(name === "--output" ? "-o" : name, value);
    } else if (a.startsWith("-") && a !== "-") flags.add(a);
    else paths.push(a);
  }
  return { flags, values, paths };
}

class UsageError extends Error {}

export async function main(
  argv: string[],
  out: (s: string) => void = (s) => process.stdout.write(s + "\n"),
  env: CliEnv = {},
  err: (s: string) => void = (s) => process.stderr.write(s + "\n"),
): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "help" || command === "--help" || command === "-h") {
    if (command) out(USAGE);
    else err(USAGE);
    return command ? EXIT.ok : EXIT.usage;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(rest);
  } catch (e) {
    err(`ucsnoop: ${(e as Error).message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  const { flags, values, paths } = parsed;
  if (["ladder", "stats", "export", "snapshot"].includes(command) && paths.length === 0) {
    err("ucsnoop: give at least one file or folder\n\n" + USAGE);
    return EXIT.usage;
  }
  const threadsValue = values.get("--threads");
  const threads = threadsValue === undefined ? defaultThreads() : Number(threadsValue);
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
    err(`ucsnoop: --threads needs a whole number from 1 to 64, not "${threadsValue}"\n\n${USAGE}`);
    return EXIT.usage;
  }
  const load = (paths: string[]) => loadPathsInParallel(paths, {}, { threads });
  const redaction = {
    redact: !flags.has("--no-redact"),
    pseudonyms: flags.has("--pseudonyms") ? createPseudonymizer() : false,
  };
  try {
    if (command === "export") {
      const format = values.get("--format") as ExportFormat | undefined;
      if (!format || !FORMATS.includes(format)) {
        err(`ucsnoop: export needs --format ${FORMATS.join("|")}\n\n${USAGE}`);
        return EXIT.usage;
      }
      const loaded = await load(paths);
      const text = exportLadder(toJson(loaded.model), format, redaction);
      const file = values.get("-o");
      if (file) writeFileSync(file, text);
      else out(text.replace(/\r?\n$/, ""));
      return problemsOf(loaded, err);
    }
    if (command === "snapshot") {
      const file = values.get("-o");
      if (!file) {
        err(`ucsnoop: snapshot needs -o FILE.html\n\n${USAGE}`);
        return EXIT.usage;
      }
      const viewer = env.viewerPath ?? VIEWER_PATH;
      if (!existsSync(viewer)) {
        err(
          `ucsnoop: the single-file viewer ${viewer} is not built yet: run \`npm run build\` first, then ucsnoop snapshot again`,
        );
        return EXIT.error;
      }
      const loaded = await load(paths);
      const payload = snapshotPayload(toJson(loaded.model), readRawLines(loaded), {}, redaction);
      const encoded = encodeSnapshot(payload);
      writeFileSync(file, embedSnapshot(readFileSync(viewer, "utf8"), encoded));
      out(
        `ucsnoop: wrote ${file}: ${payload.model.messages.length} messages, data ${encoded.length} bytes${payload.redacted ? ", redacted" : ", NOT redacted"}${payload.pseudonyms ? ", pseudonyms" : ""}`,
      );
      return problemsOf(loaded, err);
    }
    if (command === "ladder") {
      const loaded = await load(paths);
      const json = toJson(loaded.model);
      if (flags.has("--json")) out(JSON.stringify(json, null, 2));
      else {
        for (const f of json.files)
          out(
            `# ${f.name}: ${f.source}${f.lane ? ` on ${f.lane}` : ""}${f.host ? ` (${f.host})` : ""}, ${f.records} records, ${f.unparsedLines} unparsed lines${[...f.errors, ...f.warnings].map((w) => `\n#   ! ${w}`).join("")}`,
          );
        for (const c of json.clocks.filter((c) => c.source === "estimated" && c.offsetMs !== 0))
          out(`# clock: ${c.lane} ${c.offsetMs > 0 ? "+" : ""}${c.offsetMs} ms against ${c.against}`);
        for (const line of ladderText(json)) out(line);
        for (const s of json.sessions)
          out(
            `# session ${s.user ?? "(no user)"}: ${s.flow}, ${s.outcome}; reached ${s.reached.join(", ") || "nothing"}${s.stoppedAt ? `; stopped at ${s.stoppedAt}` : ""}`,
          );
        for (const f of json.findings)
          out(
            `# finding [${f.severity}] ${f.title}: ${f.fix} (evidence ${f.lines.map((l) => `${l.file}:${l.line}`).join(", ")})`,
          );
      }
      return problemsOf(loaded, err);
    }
    if (command === "stats") {
      const started = performance.now();
      const loaded = await load(paths);
      const { store, model } = loaded;
      // The full model as the page's worker keeps it: correlation, the knowledge tables (phases,
      // findings) and the messages in columns.
      const { json } = toColumns(model);
      const ms = performance.now() - started;
      out(
        JSON.stringify({
          bytes: model.files.reduce((n, f) => n + f.size, 0),
          files: model.files.length,
          records: store.records.length,
          events: store.events.length,
          messages: model.messages.length,
          dialogs: model.dialogs.length,
          sessions: model.sessions.length,
          findings: json.findings.length,
          parseMs: Math.round(ms),
          threads: loaded.parallel?.threads ?? 1,
          peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
        }),
      );
      return problemsOf(loaded, err);
    }
  } catch (e) {
    err(`ucsnoop: ${(e as Error).message}`);
    return EXIT.error;
  }
  err(`ucsnoop: unknown command "${command}"\n\n${USAGE}`);
  return EXIT.usage;
}
