import type { SourceDescriptor } from "./types.ts";

// Placeholder: replaced by the real source.
export const lyncClient: SourceDescriptor = {
  id: "lync-client",
  label: "lync-client",
  lane: "lync-client",
  priority: 0,
  sniff: () => 0,
  isRecordStart: () => true,
  createParser: () => () => {},
};
