import type { SourceDescriptor } from "./types.ts";

// Placeholder: replaced by the real source.
export const lyncServer: SourceDescriptor = {
  id: "lync-server",
  label: "lync-server",
  lane: "lync-server",
  priority: 0,
  sniff: () => 0,
  isRecordStart: () => true,
  createParser: () => () => {},
};
