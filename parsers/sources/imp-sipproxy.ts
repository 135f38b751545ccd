import type { SourceDescriptor } from "./types.ts";

// Placeholder: replaced by the real source.
export const impSipProxy: SourceDescriptor = {
  id: "imp-sipproxy",
  label: "imp-sipproxy",
  lane: "imp",
  priority: 0,
  sniff: () => 0,
  isRecordStart: () => true,
  createParser: () => () => {},
};
