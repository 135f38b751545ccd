import { describe, expect, test } from "vitest";
import {
  eventLines,
  expectCrlfParsesTheSame,
  expectSameDigestAtEveryChunkSize,
  parse,
  readSample,
} from "../testing/sourceHarness.ts";
import { cucmSdl } from "./cucm-sdl.ts";
import { detectSource, MIN_CONFIDENCE } from "./registry.ts";

const SDL = "cti-deskphone/ctimanager-sdl.txt";
const SIP = "cucm-sip-register/sdl.txt";
const CALL_ID = "4f2a9c10-7d3e11ef-a1b2c3d4@10.0.0.55";

const text = (rel: string): string => new TextDecoder().decode(readSample(rel));

describe("cucm-sdl", () => {
  test("golden: CTI Manager deskphone login of wwhite (seed 003)", () => {
    const p = parse(readSample(SDL), "log.txt", { source: "cucm-sdl" });
    // Seed 003, steps 1-17: ProviderOpen from Jabber, the login check, the LDAP service-account
    // bind, the user search and the user bind, the user settings, DeviceOpen, DeviceInService.
    expect(eventLines(p)).toEqual([
      "1 <- jabber cti.request CTI ProviderOpenRequest",
      "2 local cti.event CtiProviderOpenReq LoginId=wwhite",
      "6 -> jabber cti.response CTI ProviderOpenResponse",
      "7 local cti.event CtiProceedWithAppLogin",
      "8 local cti.event CtiLoginCheckReq Login=wwhite",
      "34 -> ldap ldap.connect LDAP connect ldap://10.10.10.10:3268",
      "35 <- ldap ldap.result bind success Administrator@joshlab.net [success]",
      "44 -> ldap ldap.search LDAP search (sAMAccountName=wwhite)",
      "46 <- ldap ldap.result search complete code 0 [0]",
      "49 -> ldap ldap.bind LDAP bind CN=Walter White,OU=Breaking Bad,DC=joshlab,DC=net",
      "51 -> ldap ldap.connect LDAP connect ldap://10.10.10.10:3268",
      "52 <- ldap ldap.result bind success CN=Walter White,OU=Breaking Bad,DC=joshlab,DC=net [success]",
      "61 local auth.result authenticated user wwhite [success]",
      "62 local cti.event CtiLoginCheckRes result=Success [Success]",
      "63 local cti.event CtiUserSettingsReq mUserId=wwhite",
      "65 local cti.event CtiUserSettingsRes Userid=wwhite result=0 [0]",
      "69 <- jabber cti.request CTI DeviceOpenRequest",
      "70 local cti.event CtiDeviceOpenDeviceReq Name=SEP001794625DE5",
      "71 local cti.event CtiDeviceOpenDeviceRes Name=SEP001794625DE5 mOpenResult=0x0 [0x0]",
      "74 -> jabber cti.response CTI DeviceOpenResponse [0]",
      "78 -> jabber cti.event CTI DeviceInServiceEvent",
    ]);
    const ev = p.events;
    expect(ev.every((e) => e.user === "wwhite")).toBe(true);
    expect(ev.some((e) => e.failed)).toBe(false);

    // CTI: request and response of one seq# share an exchange and the match of their message.
    expect(ev[0]).toMatchObject({
      phase: "request",
      exchange: "cti:2",
      match: "CTI ProviderOpenRequest",
      keys: { ctiSeq: "2" },
    });
    expect(ev[2]).toMatchObject({
      phase: "response",
      exchange: "cti:2",
      keys: { ctiSeq: "2", provider: "16777223" },
    });
    expect(ev[16]).toMatchObject({ phase: "request", exchange: "cti:4", keys: { ctiSeq: "4" } });
    expect(ev[17]!.keys?.provider).toBe("16777223");
    expect(ev[19]).toMatchObject({ phase: "response", exchange: "cti:4", status: "0" });
    expect(ev[20]!.phase).toBeUndefined();

    // LDAP: the service-account connect/bind, the search, then the user's bind.
    const ldap = ev.filter((e) => e.peer === "ldap").map((e) => [e.phase, e.exchange]);
    expect(ldap).toEqual([
      ["request", "ldap:1"],
      ["response", "ldap:1"],
      ["request", "ldap:2"],
      ["response", "ldap:2"],
      ["request", "ldap:3"],
      [undefined, undefined],
      ["response", "ldap:3"],
    ]);
    expect(ev[5]!.peerHost).toBe("10.10.10.10");

    const r = p.store.records;
    expect(r.length).toBe(79);
    expect(r.rawTime.get(0)).toBe(((8 * 60 + 59) * 60 + 16) * 1000 + 944);
    expect(r.kindOf(0)).toBe("tod");
    expect(p.info.lane).toBe("cucm");
    expect(p.info.unparsedLines).toBe(0);
  });

  test("golden: SIP REGISTER of a Jabber softphone, challenged then accepted, after an alarm (composed)", () => {
    const p = parse(readSample(SIP), "log.txt");
    expect(p.info).toMatchObject({ source: "cucm-sdl", lane: "cucm", unparsedLines: 0, warnings: [] });
    // SIPHandler and SIPStationD lines (3, 17, 18, ...) are CallManager's own processing: no event.
    expect(eventLines(p)).toEqual([
      "1 local error alarm EndPointUnregistered CSFJDOE [Reason 13]",
      "4 <- jabber sip.request REGISTER",
      "20 -> jabber sip.response 401 Unauthorized [401]",
      "33 <- jabber sip.request REGISTER",
      "50 -> jabber sip.response 200 OK [200]",
    ]);
    const [alarm, ...sip] = p.events;
    expect(alarm).toMatchObject({ failed: true, status: "Reason 13" });
    expect(sip.map((e) => [e.keys?.callId, e.keys?.cseq, e.exchange, e.failed, e.user, e.peerHost])).toEqual([
      [CALL_ID, "101 REGISTER", `sip:${CALL_ID} 101 REGISTER@jabber`, false, "jdoe", "10.0.0.55"],
      [CALL_ID, "101 REGISTER", `sip:${CALL_ID} 101 REGISTER@jabber`, false, "jdoe", "10.0.0.55"],
      [CALL_ID, "102 REGISTER", `sip:${CALL_ID} 102 REGISTER@jabber`, false, "jdoe", "10.0.0.55"],
      [CALL_ID, "102 REGISTER", `sip:${CALL_ID} 102 REGISTER@jabber`, false, "jdoe", "10.0.0.55"],
    ]);
    expect(sip[1]!.match).toBe(`SIP ${CALL_ID} 101 REGISTER 401`);
    expect(p.store.records.rawTime.get(1)).toBe(((9 * 60 + 12) * 60 + 3) * 1000 + 102);
  });

  test("SIP through an Expressway-C is drawn from expc; failures and alarms are red", () => {
    const lines = [
      "41207100.000 |09:15:00.100 |AppInfo  |SIPTcp - wait_SdlReadRsp: Incoming SIP TCP message from 10.1.1.20 on port 27345 index 9 with 700 bytes:",
      "[40,NET]",
      "REGISTER sip:ucm1.corp.example SIP/2.0",
      "Via: SIP/2.0/TLS 10.1.1.20:5061;egress-zone=CUCMNeighbor;branch=z9hG4bKc1;proxy-call-id=3a9e;rport",
      "From: <sip:jdoe@corp.example>;tag=7d3e5a10",
      "To: <sip:jdoe@corp.example>",
      "Call-ID: c2@10.0.0.55",
      "CSeq: 201 REGISTER",
      "",
      "41207100.001 |09:15:00.104 |AppInfo  |SIPTcp - wait_SdlSPISignal: Outgoing SIP TCP message to 10.1.1.20 on port 27345 index 9",
      "[41,NET]",
      "SIP/2.0 200 OK",
      "From: <sip:jdoe@corp.example>;tag=7d3e5a10",
      "To: <sip:jdoe@corp.example>;tag=9",
      "Call-ID: c2@10.0.0.55",
      "CSeq: 201 REGISTER",
      "41207100.002 |09:15:01.000 |SdlSig |SIPConnectionFailure |wait |SIPStationD(1,100,72,9) |SIPTcp(1,100,71,1) |1,100,14,1.1^*^* |[R:N-H:0,N:0,L:0,V:0,Z:0,D:0] ConnIdx=9 Reason=ConnectionClosed RemoteIp=10.1.1.20",
      "41207100.003 |09:15:01.001 |AppInfo  |SIPStationD(1,100,72,9) - ConnectionFailure: connection to 10.0.0.56 lost, reason=KeepAliveTimeout",
      "41207100.004 |09:15:02.000 |AlarmErr |AlarmClass: CallManager, AlarmName: DeviceTransientConnection, AlarmSeverity: Error, AlarmMessage: , AlarmDescription: Transient connection attempt., AlarmParameters:  Connecting Port:5060, DeviceName:CSFBOB, IPAddress:10.0.0.56, DeviceType:503, Reason Code:1, Protocol:SIP, AppID:Cisco CallManager, ClusterID:StandAloneCluster, NodeID:ucm1,",
      "41207100.005 |09:15:03.000 |AlarmInfo |AlarmClass: CallManager, AlarmName: EndPointRegistered, AlarmSeverity: Info, AlarmParameters:  DeviceName:CSFJDOE, IPAddress:10.0.0.55, Protocol:SIP,",
    ];
    const p = parse(lines.join("\n") + "\n", "log.txt", { source: "cucm-sdl" });
    expect(eventLines(p)).toEqual([
      "3 <- expc sip.request REGISTER", // a Via with egress-zone=: it came through an Expressway
      "12 -> expc sip.response 200 OK [200]", // the same address keeps its lane
      "17 local error ConnectionFailure 10.1.1.20 [ConnectionClosed]",
      "18 local error ConnectionFailure 10.0.0.56 [KeepAliveTimeout]",
      "19 local error alarm DeviceTransientConnection CSFBOB [Reason 1]",
      "20 local note alarm EndPointRegistered CSFJDOE",
    ]);
    expect(p.events.map((e) => e.failed)).toEqual([false, false, true, true, true, false]);
  });

  test("failures are red: a failed bind, a non-zero search code, a refused login check", () => {
    const lines = [
      "00895261.072 |08:59:17.164 |AppInfo |Retrieve the specified user entry: (&(objectclass=user)(sAMAccountName=jdoe))",
      "00895261.074 |08:59:17.165 |AppInfo |LDAP Search complete. Code: 32",
      "00895261.077 |08:59:17.165 |AppInfo |Attempt to authenticate DN: CN=John Doe,DC=joshlab,DC=net",
      "00895261.087 |08:59:17.171 |AppInfo |LDAP authentication bind FAILED for CN=John Doe,DC=joshlab,DC=net",
      "00895262.000 |08:59:17.171 |SdlSig |CtiLoginCheckRes |authenticating |CTIHandler(1,200,22,7) |Directory(1,200,23,1) |1,200,13,8.3^*^* | [R:N-H:0,N:0,L:0,V:0,Z:0,D:0] Seq#=2 result=Failed LoginUserID= Expire days=0",
    ];
    const p = parse(lines.join("\n") + "\n", "log.txt", { source: "cucm-sdl" });
    expect(eventLines(p)).toEqual([
      "1 -> ldap ldap.search LDAP search (sAMAccountName=jdoe)",
      "2 <- ldap ldap.result search complete code 32 [32]",
      "3 -> ldap ldap.bind LDAP bind CN=John Doe,DC=joshlab,DC=net",
      "4 <- ldap ldap.result bind failed CN=John Doe,DC=joshlab,DC=net [failed]",
      "5 local cti.event CtiLoginCheckRes result=Failed [Failed]",
    ]);
    expect(p.events.map((e) => e.failed)).toEqual([false, true, false, true, true]);
  });

  test("an empty SDL parameter stays empty", () => {
    const line =
      "00895261.000 |08:59:17.058 |SdlSig |CtiLoginCheckReq |ready |Directory(1,200,23,1) |CTIHandler(1,200,22,7) |1,200,13,8.3^*^* | [T:N-H:0,N:0,L:0,V:0,Z:0,D:0] Login= Seq#=2 Auth Style=0";
    const p = parse(line + "\n", "log.txt", { source: "cucm-sdl" });
    expect(eventLines(p)).toEqual(["1 local cti.event CtiLoginCheckReq"]);
    expect(p.events[0]!.keys?.ctiSeq).toBe("2");
  });

  test("detection: the fixture under a generic name", () => {
    expect(detectSource(text(SDL))?.source.id).toBe("cucm-sdl");
    expect(cucmSdl.sniff(text(SDL))).toBeGreaterThanOrEqual(0.8);
    expect(parse(readSample(SDL), "log.txt").info.source).toBe("cucm-sdl");
    // SIP messages quoted after their transport lines do not dilute the shape.
    expect(detectSource(text(SIP))?.source.id).toBe("cucm-sdl");
    expect(cucmSdl.sniff(text(SIP))).toBeGreaterThanOrEqual(0.8);
    expect(parse(readSample(SIP), "log.txt").info.source).toBe("cucm-sdl");
  });

  test("not mine: Jabber, Expressway, XCP, log4j (CUCM and EPASSoap) and prose", () => {
    const notMine = {
      jabber: [
        "2020-03-24 22:31:00,442 INFO [0x00002b04] [rvices\\impl\\system\\SingleSignOn.cpp(206)] [Single-Sign-On-Logger] [CSFUnified::SingleSignOn::Impl::isAuthenticatorTokenReuseEnabled] - TokenReuse enabled for 1001",
      ],
      expressway: [
        '2020-03-24T16:31:00.962-06:00 labucexpye01 traffic_server[16087]: UTCTime="2020-03-24 22:31:00,962" Module="network.http.trafficserver" Level="INFO": Detail="Receive Request" Txn-id="2004" Src-ip="81.157.160.37" Src-port="59252"',
      ],
      xcp: [
        "10:26:46.981 |076a1b70| debug| SASLManager.cpp:426 SASLManager::stepSession sending: <auth mechanism='CISCO-VTG-TOKEN' xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>dXNlcmlkPW5pcm1hbEBjY2llLmNvbQB0b2tlbj05MTEyMTU=</auth>",
        "10:26:46.982 |00000000| debug| AuthXCPComponent.cpp:211 AuthXCPComponent::onPacket(): <xdb from='cm-1_jsmcp-1.10-106-89-222' id='jtx_56' ns='http://jabber.com/protocol/sasl' to='ccie.com' type='set'><auth mechanism='CISCO-VTG-TOKEN'",
      ],
      epassoap: [
        "2014-11-12 10:26:44,155 INFO [http-bio-443-exec-23] handlers.LoginHandlerNonSSO - doLogin:IMS login result is success for nirmal| IMS result code:0",
        "2011-04-26 10:05:51,826 INFO http-8443-3 soap.LoginHandler - IMS result code is :1",
      ],
      cucmLog4j: text("onprem-login/cucm-security.log").split("\n"),
      expresswaySip: text("expressway-sip-register/expressway-c.log").split("\n"),
      impSipProxy: text("imp-sip-federation/sipproxy.log").split("\n"),
      prose: [
        "Step 1. Provider Open Request from the Jabber client is received by the CTI Manager service.",
        "At this point the Jabber client is successfully able to control deskphone via CTI.",
      ],
    };
    for (const [name, lines] of Object.entries(notMine))
      expect(cucmSdl.sniff(lines.join("\n")), name).toBeLessThan(MIN_CONFIDENCE);
    expect(cucmSdl.sniff("")).toBe(0);
  });

  test("chunk sizes give the same digest", () => {
    for (const rel of [SDL, SIP]) expectSameDigestAtEveryChunkSize(rel);
  });

  test("CRLF line endings parse the same", () => {
    for (const rel of [SDL, SIP]) expectCrlfParsesTheSame(rel, "cucm-sdl");
  });

  test("a record still wrapped over lines reads as one", () => {
    // As the seed's web page shows it, before the fixture rejoined it.
    const wrapped = [
      "00895256.004 |08:59:16.944 |AppInfo |[CTI-APP] [CTIHandler::OutputCtiMessage ] CTI",
      "ProviderOpenResponse (seq#=2) provider id=16777223 FIPMode = 0",
      "00895261.043 |08:59:17.149 |AppInfo |Authenticating with SSL not enabled",
      "(ldap://10.10.10.10:3268)",
    ];
    const p = parse(wrapped.join("\n") + "\n", "log.txt", { source: "cucm-sdl" });
    expect(eventLines(p)).toEqual([
      "1 -> jabber cti.response CTI ProviderOpenResponse",
      "3 -> ldap ldap.connect LDAP connect ldap://10.10.10.10:3268",
    ]);
  });
});

// An input that parsers/fuzz.test.ts found: `\s*(?:code)?\s*` retried each split of a long run of
// spaces (quadratic: seconds for one line). What such a line parses to is checked here; how fast is
// the benchmark's to measure, and eslint's regexp/no-super-linear-* rules keep such patterns out
// (one that costs minutes would also fail on the test timeout).
describe("cucm-sdl: regressions found by fuzzing", () => {
  test("a ConnectionFailure reason followed by 100 000 spaces", () => {
    const line = `41207100.003 |09:15:01.001 |AppInfo  |SIPStationD(1,100,72,9) - ConnectionFailure: lost, reason${" ".repeat(100_000)}x`;
    const p = parse(line + "\n", "log.txt", { source: "cucm-sdl" });
    // No "reason=": the status is what follows "ConnectionFailure:", trimmed.
    expect(p.events.map((e) => [e.label, e.status])).toEqual([
      ["ConnectionFailure", `lost, reason${" ".repeat(100_000)}x`],
    ]);
    const trailing = parse(line.replace(/x$/, "") + "\n", "log.txt", { source: "cucm-sdl" });
    expect(trailing.events.map((e) => e.status)).toEqual(["lost, reason"]);
    // The reason after "reason", "code" and spaces either side of "=".
    const reasoned = parse(line.replace(/ +x$/, " code   =  KeepAliveTimeout") + "\n", "log.txt", {
      source: "cucm-sdl",
    });
    expect(reasoned.events.map((e) => e.status)).toEqual(["KeepAliveTimeout"]);
  });
});
