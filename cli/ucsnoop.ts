import { loadPaths } from "./load.ts";
import { ladderText, toJson } from "../parsers/model/json.ts";

const USAGE = `ucsnoop: explain a Cisco collaboration login from its logs

Usage:
  ucsnoop ladder PATH... [--json]   print the ladder (one message a line), or the model as JSON
  ucsnoop stats PATH...             print counts and timings as one JSON object
  ucsnoop help

PATH is a log file or a folder (read recursively).`;

export function main(
  argv: string[],
  out: (s: string) => void = (s) => process.stdout.write(s + "\n"),
): number {
  const [command, ...rest] = argv;
  const flags = new Set(rest.filter((a) => a.startsWith("--")));
  const paths = rest.filter((a) => !a.startsWith("--"));
  if (!command || command === "help" || command === "--help" || command === "-h") {
    out(USAGE);
    return command ? 0 : 1;
  }
  if ((command === "ladder" || command === "stats") && paths.length === 0) {
    out("ucsnoop: give at least one file or folder\n\n" + USAGE);
    return 2;
  }
  try {
    if (command === "ladder") {
      const { model } = loadPaths(paths);
      const json = toJson(model);
      if (flags.has("--json")) out(JSON.stringify(json, null, 2));
      else {
        for (const f of json.files)
          out(
            `# ${f.name}: ${f.source}${f.lane ? ` on ${f.lane}` : ""}${f.host ? ` (${f.host})` : ""}, ${f.records} records, ${f.unparsedLines} unparsed lines${[...f.errors, ...f.warnings].map((w) => `\n#   ! ${w}`).join("")}`,
          );
        for (const c of json.clocks.filter((c) => c.source === "estimated" && c.offsetMs !== 0))
          out(`# clock: ${c.lane} ${c.offsetMs > 0 ? "+" : ""}${c.offsetMs} ms against ${c.against}`);
        for (const line of ladderText(json)) out(line);
      }
      return 0;
    }
    if (command === "stats") {
      const started = performance.now();
      const { store, model } = loadPaths(paths);
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
          findings: model.findings.length,
          parseMs: Math.round(ms),
          peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
        }),
      );
      return 0;
    }
  } catch (err) {
    out(`ucsnoop: ${(err as Error).message}`);
    return 1;
  }
  out(`ucsnoop: unknown command "${command}"\n\n${USAGE}`);
  return 2;
}
