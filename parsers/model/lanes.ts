/** Lanes of the ladder. The canonical seven come first, in this order; others follow. */
export const CANONICAL_LANES = ["jabber", "dns", "expe", "expc", "cucm", "imp", "ldap"] as const;
export type CanonicalLane = (typeof CANONICAL_LANES)[number];
/** A canonical lane, or a lane named after a host no dropped file belongs to. */
export type LaneId = CanonicalLane | (string & {});

export const LANE_TITLES: Record<CanonicalLane, string> = {
  jabber: "Jabber",
  dns: "DNS",
  expe: "Expressway-E",
  expc: "Expressway-C",
  cucm: "CUCM",
  imp: "IM&P",
  ldap: "LDAP",
};

export function laneOrder(lane: LaneId): number {
  const i = (CANONICAL_LANES as readonly string[]).indexOf(lane);
  return i < 0 ? CANONICAL_LANES.length : i;
}

export function sortLanes(lanes: Iterable<LaneId>): LaneId[] {
  return [...new Set(lanes)].sort((a, b) => laneOrder(a) - laneOrder(b) || a.localeCompare(b));
}

export function isCanonicalLane(lane: string): lane is CanonicalLane {
  return (CANONICAL_LANES as readonly string[]).includes(lane);
}
