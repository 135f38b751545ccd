import { describe, expect, it } from "vitest";
import { loadBundle } from "../testing/bundles.ts";
import { sortLanes } from "./lanes.ts";
import type { ModelJson } from "./json.ts";

/**
 * The contract: one SIP registration dialog (REGISTER, a 401 challenge, REGISTER with
 * credentials, 200 OK) gives the same ladder whichever product logged it. Neutral form: the
 * dialog's messages in order, each as its label and its direction (towards the registrar or
 * back), with a proxy's hops of one message counted once.
 */
const NEUTRAL = [
  "request REGISTER",
  "response 401 Unauthorized REGISTER",
  "request REGISTER",
  "response 200 OK REGISTER",
];

function neutral(json: ModelJson): { flow: string[]; dialogs: string[] } {
  const order = sortLanes(json.lanes);
  const rank = (lane: string) => order.indexOf(lane);
  const sip = json.messages.filter((m) => m.kind.startsWith("sip."));
  const flow: string[] = [];
  for (const m of sip) {
    const step = `${rank(m.from) < rank(m.to) ? "request" : "response"} ${m.label}`;
    if (flow[flow.length - 1] !== step) flow.push(step);
  }
  return { flow, dialogs: [...new Set(sip.map((m) => m.dialog ?? "-"))] };
}

const FORMATS: [string, string, string][] = [
  [
    "Jabber (csf.sip-call-control sipio lines)",
    "jabber-sip-register",
    "00505689-a1b20003-4c3d2e1f-7a6b5c4d@10.20.30.44",
  ],
  [
    "Expressway-E and -C (tvcs network.sip SIPMSG)",
    "expressway-sip-register",
    "4f2a9c10-7d3e11ef-a1b2c3d4@10.0.0.55",
  ],
  ["CUCM (SDL SIPTcp)", "cucm-sip-register", "4f2a9c10-7d3e11ef-a1b2c3d4@10.0.0.55"],
  [
    "Lync client (UCCAPI Sending Packet / Data Received)",
    "contract-register",
    "9c1e5a8f27b44d6f8e2c3b1a0d4e7f60",
  ],
];

describe("contract: one REGISTER dialog, every format", () => {
  for (const [format, bundle, callId] of FORMATS) {
    it(`gives the neutral ladder from ${format}`, () => {
      const { json } = loadBundle(bundle);
      expect(neutral(json)).toEqual({ flow: NEUTRAL, dialogs: [`call:${callId}`] });
    });
  }
});
