import type { LaneId } from "./lanes.ts";

/** What a record means. The protocol family comes first so the page can colour by it. */
export type EventKind =
  | "dns.query"
  | "dns.answer"
  | "http.request"
  | "http.response"
  | "soap.request"
  | "soap.response"
  | "xmpp.stanza"
  | "xmpp.sasl"
  | "ldap.connect"
  | "ldap.bind"
  | "ldap.search"
  | "ldap.result"
  | "cti.request"
  | "cti.response"
  | "cti.event"
  | "sip.request"
  | "sip.response"
  | "token.issue"
  | "token.validate"
  | "auth.result"
  | "error"
  | "note";

/**
 * Where the event sits on an arrow: the node that logged it either sent the message to `peer`,
 * received it from `peer`, or did something on its own (`local`, drawn as a self-arrow).
 */
export type Direction = "send" | "recv" | "local";

/** Correlation keys. Scoped ones (txn, httpRequest, thread, exchange) mean something on one node only. */
export interface CorrelationKeys {
  /** Expressway traffic_server Txn-id (unique per node only). */
  txn?: string;
  /** XCP xdb packet id (jtx_NN); Expressway-C prefixes it (conauth765380-jtx_NN). */
  xdb?: string;
  /** Jabber csf.httpclient request number. */
  httpRequest?: string;
  /** CUCM/IM&P Tomcat thread (a request is a run of lines of one thread). */
  thread?: string;
  /** CTI message sequence number. */
  ctiSeq?: string;
  /** SIP Call-ID (and CSeq for the round trip). */
  callId?: string;
  cseq?: string;
  /** OAuth state: one authorization-code grant. */
  oauthState?: string;
  /** OAuth client_id (the application, not the login). */
  clientId?: string;
  /** IM&P SOAP session key. */
  sessionKey?: string;
  /** CTI provider id handed back by ProviderOpenResponse. */
  provider?: string;
}

export interface EventInput {
  kind: EventKind;
  dir: Direction;
  /** The other end of the message (for send/recv). */
  peer?: LaneId;
  /** Host name or address of the other end, when the log names it. */
  peerHost?: string;
  /** Protocol words a person looks for: method and path tail, status, SOAP operation, ... */
  label: string;
  /** Result as logged: an HTTP status, "success", "IMS 3", a reason code. */
  status?: string;
  /** True when the event reports a failure (red arrow). */
  failed?: boolean;
  /** Request or response half of an exchange; one-way messages and local events have neither. */
  phase?: "request" | "response";
  /** Pairs a request with its response on the node that logged both (e.g. "txn:2004"). */
  exchange?: string;
  /**
   * What the two sides of one message have in common, so that the halves logged by two
   * nodes merge into one arrow: e.g. "POST localauthentication" for an HTTP request.
   */
  match?: string;
  keys?: CorrelationKeys;
  user?: string;
  /** Index of the line inside the record that carries the evidence (0 = header). */
  lineOffset?: number;
}
