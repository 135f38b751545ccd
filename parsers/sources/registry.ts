import { cucmLog4j } from "./cucm-log4j.ts";
import { cucmSdl } from "./cucm-sdl.ts";
import { expressway } from "./expressway.ts";
import { generic } from "./generic.ts";
import { impSipProxy } from "./imp-sipproxy.ts";
import { lyncClient } from "./lync-client.ts";
import { lyncServer } from "./lync-server.ts";
import { impEpassoap } from "./imp-epassoap.ts";
import { impXcp } from "./imp-xcp.ts";
import { jabber } from "./jabber.ts";
import type { SourceDescriptor, SourceId } from "./types.ts";

/**
 * Every source, explicitly. Adding a source touches its own file and this list. Detection
 * takes the highest confidence, then the highest priority.
 */
export const SOURCES: readonly SourceDescriptor[] = [
  jabber,
  expressway,
  cucmLog4j,
  cucmSdl,
  impEpassoap,
  impXcp,
  impSipProxy,
  lyncClient,
  lyncServer,
  // Last and lowest: any text log with a timestamp still joins the timeline and the search.
  generic,
];

/** Below this a file is `unknown`: better listed honestly than parsed by the wrong source. */
export const MIN_CONFIDENCE = 0.3;

export function sourceById(id: SourceId): SourceDescriptor | undefined {
  return SOURCES.find((s) => s.id === id);
}

export function detectSource(head: string): { source: SourceDescriptor; confidence: number } | null {
  let best: { source: SourceDescriptor; confidence: number } | null = null;
  for (const source of SOURCES) {
    let confidence = 0;
    try {
      confidence = source.sniff(head);
    } catch {
      confidence = 0;
    }
    if (
      confidence >= MIN_CONFIDENCE &&
      (!best ||
        confidence > best.confidence ||
        (confidence === best.confidence && source.priority > best.source.priority))
    )
      best = { source, confidence };
  }
  return best;
}
