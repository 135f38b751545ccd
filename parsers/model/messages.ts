import type { EventKind } from "./events.ts";
import type { Pairing } from "./exchanges.ts";
import type { LaneId } from "./lanes.ts";
import type { Evidence, Observation } from "./observations.ts";
import type { Precedence } from "./clock.ts";

/** An arrow of the ladder. */
export interface Message {
  id: number;
  /** Corrected UTC ms: when it was sent if the sender logged it, else when it was received. */
  time: number;
  sendTime: number | undefined;
  recvTime: number | undefined;
  from: LaneId;
  to: LaneId;
  label: string;
  kind: EventKind;
  status: string | undefined;
  failed: boolean;
  /** The lanes whose logs show this message. */
  seenBy: LaneId[];
  evidence: Evidence[];
  user: string | undefined;
  dialog: string | null;
  /** Sightings behind the arrow: the sender's and the receiver's (or the one local one). */
  sent: Observation | undefined;
  received: Observation | undefined;
  /** Causal rank inside its exchange chain, to order arrows logged in the same millisecond. */
  rank: number;
  chain: number;
}

export interface Drafts {
  messages: Message[];
  precedences: Precedence[];
  /** Groups of messages that belong together before keys are considered (an exchange chain). */
  links: [Message, Message][];
}

function tailOf(label: string): string {
  const i = label.indexOf(" ");
  return i < 0 ? label : label.slice(i + 1);
}

/**
 * The lanes that logged a message, one list per pair shared by every message of that pair
 * (read only, as the whole model is): two million messages held two million arrays that the
 * garbage collector walked on the page and in the worker alike.
 */
const seenByLists = new Map<string, LaneId[]>();
function seenByOf(a: LaneId, b: LaneId | undefined): LaneId[] {
  const key = b === undefined ? a : `${a} ${b}`;
  let list = seenByLists.get(key);
  if (!list) {
    // Lanes are a handful in any bundle; a hostile one naming thousands only stops sharing.
    if (seenByLists.size >= 4096) seenByLists.clear();
    seenByLists.set(key, (list = b === undefined ? [a] : [a, b]));
  }
  return list;
}

/**
 * The arrow of one or two sightings (or of one local one). Written out for the one or two sides
 * there are, rather than with arrays, filter, reduce, a Set and flatMap: it runs for every message.
 */
function draft(
  sent: Observation | undefined,
  received: Observation | undefined,
  local?: Observation,
): Message {
  // The sides, in order: the local one; else the sent one and the received one that exist.
  const a = local ?? sent ?? received!;
  const b = local || !sent ? undefined : received;
  const from = local ? local.lane : sent ? sent.lane : (received!.peer ?? received!.lane);
  const to = local ? local.lane : received ? received.lane : (sent!.peer ?? sent!.lane);
  // The longest label, the first of equals; the first status and user there are.
  const best = b && b.label.length > a.label.length ? b : a;
  const status = a.status ? a.status : b?.status ? b.status : undefined;
  const user = a.user ? a.user : b?.user ? b.user : undefined;
  // A message of one sighting keeps the sighting's list: nothing adds to either once drafted.
  const evidence = b ? a.evidence.concat(b.evidence) : a.evidence;
  return {
    id: -1,
    // Times are set by buildModel, once it knows the clocks.
    time: NaN,
    sendTime: undefined,
    recvTime: undefined,
    from,
    to,
    label: best.label,
    kind: a.kind,
    status,
    failed: a.failed || (b !== undefined && b.failed),
    seenBy: seenByOf(a.lane, b && b.lane !== a.lane ? b.lane : undefined),
    evidence,
    user,
    dialog: null,
    sent: local ?? sent,
    received: local ? undefined : received,
    rank: 0,
    chain: -1,
  };
}

/** The arrow of one half (request or response) of an exchange, from its sightings. */
function half(
  o1: Observation | undefined,
  o2: Observation | undefined,
  o3: Observation | undefined,
  o4: Observation | undefined,
): Message {
  return draft(sideOf("send", o1, o2, o3, o4), sideOf("recv", o1, o2, o3, o4));
}

/** The first of the sightings that is on the given side (send or recv). */
function sideOf(
  dir: "send" | "recv",
  o1: Observation | undefined,
  o2: Observation | undefined,
  o3: Observation | undefined,
  o4: Observation | undefined,
): Observation | undefined {
  if (o1 && o1.dir === dir) return o1;
  if (o2 && o2.dir === dir) return o2;
  if (o3 && o3.dir === dir) return o3;
  if (o4 && o4.dir === dir) return o4;
  return undefined;
}

/** Turn paired halves into arrows, and collect the precedences the clock estimate needs. */
export function draftMessages(pairing: Pairing): Drafts {
  const messages: Message[] = [];
  const precedences: Precedence[] = [];
  const links: [Message, Message][] = [];
  // By exchange id (its index in pairing.exchanges): no Set or Maps keyed by objects.
  const count = pairing.exchanges.length;
  const done = new Uint8Array(count);
  const reqMsg: (Message | undefined)[] = new Array<Message | undefined>(count);
  const respMsg: (Message | undefined)[] = new Array<Message | undefined>(count);
  let chain = 0;

  const push = (m: Message) => {
    messages.push(m);
    const s = m.sent;
    const r = m.received;
    if (s && r && s.lane !== r.lane)
      precedences.push({ before: { lane: s.lane, time: s.time }, after: { lane: r.lane, time: r.time } });
    return m;
  };

  for (let xi = 0; xi < pairing.exchanges.length; xi++) {
    const x = pairing.exchanges[xi]!;
    if (done[x.id]) continue;
    done[x.id] = 1;
    const y = x.partner;
    if (y) done[y.id] = 1;
    const id = chain++;
    if (x.role === "local") {
      const req = x.request ? push(draft(undefined, undefined, x.request)) : undefined;
      const resp = x.response ? push(draft(undefined, undefined, x.response)) : undefined;
      if (req) {
        req.chain = id;
        req.rank = 0;
      }
      if (resp) {
        resp.chain = id;
        resp.rank = 1;
        enrichResponse(resp, x.request?.label);
      }
      if (req && resp) links.push([req, resp]);
      if (req) reqMsg[x.id] = req;
      if (resp) respMsg[x.id] = resp;
      continue;
    }
    let req: Message | undefined;
    let resp: Message | undefined;
    if (x.request || y?.request || x.otherRequest || y?.otherRequest) {
      req = push(half(x.request, y?.request, x.otherRequest, y?.otherRequest));
      req.chain = id;
    }
    if (x.response || y?.response || x.otherResponse || y?.otherResponse) {
      resp = push(half(x.response, y?.response, x.otherResponse, y?.otherResponse));
      resp.chain = id;
      resp.rank = 3;
      enrichResponse(resp, (x.request ?? y?.request)?.label);
    }
    if (req && resp) links.push([req, resp]);
    if (req) reqMsg[x.id] = req;
    if (resp) respMsg[x.id] = resp;
    if (y) {
      if (req) reqMsg[y.id] = req;
      if (resp) respMsg[y.id] = resp;
    }
  }

  // Forwarded exchanges: the downstream hop sits inside its upstream exchange.
  for (let yi = 0; yi < pairing.exchanges.length; yi++) {
    const y = pairing.exchanges[yi]!;
    const parent = y.parent;
    if (!parent) continue;
    const upReq = reqMsg[parent.id];
    const upResp = respMsg[parent.id];
    const downReq = reqMsg[y.id];
    const downResp = respMsg[y.id];
    if (upReq && downReq) {
      links.push([upReq, downReq]);
      const a = upReq.received ?? upReq.sent;
      const b = downReq.received ?? downReq.sent;
      if (a && b)
        precedences.push({ before: { lane: a.lane, time: a.time }, after: { lane: b.lane, time: b.time } });
    }
    if (upResp && downResp) {
      links.push([upResp, downResp]);
      const a = downResp.sent ?? downResp.received;
      const b = upResp.sent ?? upResp.received;
      if (a && b)
        precedences.push({ before: { lane: a.lane, time: a.time }, after: { lane: b.lane, time: b.time } });
    }
    // One chain for the whole forward: upstream request, downstream request, downstream
    // response, upstream response.
    const id = upReq?.chain ?? upResp?.chain;
    if (id !== undefined) {
      if (upReq) setChain(upReq, id, 0);
      if (downReq) setChain(downReq, id, 1);
      if (downResp) setChain(downResp, id, 2);
      if (upResp) setChain(upResp, id, 3);
    }
  }

  for (let pi = 0; pi < pairing.loosePairs.length; pi++) {
    const [s, r] = pairing.loosePairs[pi]!;
    const m = draft(s, r);
    m.chain = chain++;
    push(m);
  }
  for (let li = 0; li < pairing.loose.length; li++) {
    const o = pairing.loose[li]!;
    if (pairing.paired.has(o)) continue;
    const m =
      o.dir === "local"
        ? draft(undefined, undefined, o)
        : o.dir === "send"
          ? draft(o, undefined)
          : draft(undefined, o);
    m.chain = chain++;
    push(m);
  }
  return { messages, precedences, links };
}

function setChain(m: Message, chain: number, rank: number): void {
  m.chain = chain;
  m.rank = rank;
}

function enrichResponse(m: Message, requestLabel: string | undefined): void {
  if (!requestLabel || (!m.kind.endsWith(".response") && m.kind !== "token.validate")) return;
  if (!/^\d{3}\b/.test(m.label)) return;
  const tail = tailOf(requestLabel);
  if (tail && !m.label.includes(tail)) m.label = `${m.label} ${tail}`;
}
