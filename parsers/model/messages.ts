import type { EventKind } from "./events.ts";
import type { Exchange, Pairing } from "./exchanges.ts";
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

function draft(
  sent: Observation | undefined,
  received: Observation | undefined,
  local?: Observation,
): Message {
  const sides = local ? [local] : [sent, received].filter((o): o is Observation => o !== undefined);
  const main = sides[0]!;
  const best = sides.reduce((a, b) => (b.label.length > a.label.length ? b : a));
  const from = local ? local.lane : sent ? sent.lane : (received!.peer ?? received!.lane);
  const to = local ? local.lane : received ? received.lane : (sent!.peer ?? sent!.lane);
  const status = sides.find((o) => o.status)?.status;
  const user = sides.find((o) => o.user)?.user;
  return {
    id: -1,
    time: NaN,
    sendTime: sent?.time,
    recvTime: received?.time,
    from,
    to,
    label: best.label,
    kind: main.kind,
    status,
    failed: sides.some((o) => o.failed),
    seenBy: [...new Set(sides.map((o) => o.lane))],
    evidence: sides.flatMap((o) => o.evidence),
    user,
    dialog: null,
    sent: local ?? sent,
    received: local ? undefined : received,
    rank: 0,
    chain: -1,
  };
}

const sendSide = (o: Observation | undefined) => (o && o.dir === "send" ? o : undefined);
const recvSide = (o: Observation | undefined) => (o && o.dir === "recv" ? o : undefined);

/** Turn paired halves into arrows, and collect the precedences the clock estimate needs. */
export function draftMessages(pairing: Pairing): Drafts {
  const messages: Message[] = [];
  const precedences: Precedence[] = [];
  const links: [Message, Message][] = [];
  const done = new Set<Exchange>();
  const reqMsg = new Map<Exchange, Message>();
  const respMsg = new Map<Exchange, Message>();
  let chain = 0;

  const push = (m: Message) => {
    messages.push(m);
    const s = m.sent;
    const r = m.received;
    if (s && r && s.lane !== r.lane)
      precedences.push({ before: { lane: s.lane, time: s.time }, after: { lane: r.lane, time: r.time } });
    return m;
  };

  for (const x of pairing.exchanges) {
    if (done.has(x)) continue;
    done.add(x);
    const y = x.partner;
    if (y) done.add(y);
    const id = chain++;
    if (x.role === "local") {
      const req = x.request ? push(draft(undefined, undefined, x.request)) : undefined;
      const resp = x.response ? push(draft(undefined, undefined, x.response)) : undefined;
      if (req) Object.assign(req, { chain: id, rank: 0 });
      if (resp) {
        Object.assign(resp, { chain: id, rank: 1 });
        enrichResponse(resp, x.request?.label);
      }
      if (req && resp) links.push([req, resp]);
      if (req) reqMsg.set(x, req);
      if (resp) respMsg.set(x, resp);
      continue;
    }
    const reqObs = [x.request, y?.request, x.otherRequest, y?.otherRequest].filter(
      (o): o is Observation => !!o,
    );
    const respObs = [x.response, y?.response, x.otherResponse, y?.otherResponse].filter(
      (o): o is Observation => !!o,
    );
    let req: Message | undefined;
    let resp: Message | undefined;
    if (reqObs.length > 0) {
      req = push(draft(reqObs.map(sendSide).find(Boolean), reqObs.map(recvSide).find(Boolean)));
      req.chain = id;
    }
    if (respObs.length > 0) {
      resp = push(draft(respObs.map(sendSide).find(Boolean), respObs.map(recvSide).find(Boolean)));
      resp.chain = id;
      resp.rank = 3;
      enrichResponse(resp, (x.request ?? y?.request)?.label);
    }
    if (req && resp) links.push([req, resp]);
    for (const e of [x, y]) {
      if (!e) continue;
      if (req) reqMsg.set(e, req);
      if (resp) respMsg.set(e, resp);
    }
  }

  // Forwarded exchanges: the downstream hop sits inside its upstream exchange.
  for (const y of pairing.exchanges) {
    const parent = y.parent;
    if (!parent) continue;
    const up = { req: reqMsg.get(parent), resp: respMsg.get(parent) };
    const down = { req: reqMsg.get(y), resp: respMsg.get(y) };
    if (up.req && down.req) {
      links.push([up.req, down.req]);
      const a = up.req.received ?? up.req.sent;
      const b = down.req.received ?? down.req.sent;
      if (a && b)
        precedences.push({ before: { lane: a.lane, time: a.time }, after: { lane: b.lane, time: b.time } });
    }
    if (up.resp && down.resp) {
      links.push([up.resp, down.resp]);
      const a = down.resp.sent ?? down.resp.received;
      const b = up.resp.sent ?? up.resp.received;
      if (a && b)
        precedences.push({ before: { lane: a.lane, time: a.time }, after: { lane: b.lane, time: b.time } });
    }
    // One chain for the whole forward: upstream request, downstream request, downstream
    // response, upstream response.
    const id = up.req?.chain ?? up.resp?.chain;
    if (id !== undefined) {
      for (const [m, rank] of [
        [up.req, 0],
        [down.req, 1],
        [down.resp, 2],
        [up.resp, 3],
      ] as const)
        if (m) Object.assign(m, { chain: id, rank });
    }
  }

  for (const [s, r] of pairing.loosePairs) push(Object.assign(draft(s, r), { chain: chain++ }));
  for (const o of pairing.loose) {
    const m =
      o.dir === "local"
        ? draft(undefined, undefined, o)
        : o.dir === "send"
          ? draft(o, undefined)
          : draft(undefined, o);
    push(Object.assign(m, { chain: chain++ }));
  }
  return { messages, precedences, links };
}

function enrichResponse(m: Message, requestLabel: string | undefined): void {
  if (!requestLabel || (!m.kind.endsWith(".response") && m.kind !== "token.validate")) return;
  if (!/^\d{3}\b/.test(m.label)) return;
  const tail = tailOf(requestLabel);
  if (tail && !m.label.includes(tail)) m.label = `${m.label} ${tail}`;
}
