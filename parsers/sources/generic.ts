import type { SourceDescriptor } from "./types.ts";

// Placeholder: replaced by the real source.
export const generic: SourceDescriptor = {
  id: "generic",
  label: "generic",
  lane: null,
  priority: 0,
  sniff: () => 0,
  isRecordStart: () => true,
  createParser: () => () => {},
};
