import { useEffect, useState } from "react";
import type { ModelJson } from "../../parsers/model/json.ts";
import { laneTitle } from "../diagram/Ladder.tsx";
import { setClockOffset } from "../loader.ts";
import { useStore } from "../store/index.ts";

type Clock = ModelJson["clocks"][number];

function ClockRow({ c }: { c: Clock }) {
  const parsing = useStore((s) => s.parsing);
  const [value, setValue] = useState(String(c.offsetMs));
  useEffect(() => setValue(String(c.offsetMs)), [c.offsetMs]);
  const apply = () => {
    const v = Number(value);
    if (value.trim() !== "" && Number.isFinite(v) && v !== c.offsetMs) void setClockOffset(c.lane, v);
  };
  const how =
    c.source === "reference"
      ? "reference clock"
      : `${c.source}${c.against ? ` against ${laneTitle(c.against)}` : ""}${
          c.lowerMs !== null && c.upperMs !== null ? `, between ${c.lowerMs} and ${c.upperMs} ms` : ""
        }${c.samples ? `, ${c.samples} sample${c.samples > 1 ? "s" : ""}` : ""}`;
  return (
    <li className={`clock${c.inconsistent ? " inconsistent" : ""}`} data-testid="clock" data-lane={c.lane}>
      <label>
        <span className="clock-lane">{laneTitle(c.lane)}</span>
        <input
          type="number"
          step="any"
          aria-label={`Clock offset of ${laneTitle(c.lane)} in milliseconds`}
          value={value}
          disabled={parsing}
          onChange={(e) => setValue(e.target.value)}
          onBlur={apply}
          onKeyDown={(e) => {
            if (e.key === "Enter") apply();
            if (e.key === "Escape") setValue(String(c.offsetMs));
          }}
        />
        <span className="muted">ms</span>
      </label>
      {c.source === "user" && (
        <button
          className="icon"
          aria-label={`Back to the estimated offset of ${laneTitle(c.lane)}`}
          title="Use the estimate"
          onClick={() => void setClockOffset(c.lane, null)}
        >
          ↺
        </button>
      )}
      <div className="clock-how muted">
        {how}
        {c.inconsistent ? " · inconsistent samples" : ""}
      </div>
    </li>
  );
}

export function ClockPane() {
  const clocks = useStore((s) => s.model?.clocks ?? null);
  if (!clocks?.length) return null;
  return (
    <section className="pane clock-pane" aria-labelledby="clock-title">
      <h2 id="clock-title">Clock</h2>
      <ul className="clock-list">
        {clocks.map((c) => (
          <ClockRow key={c.lane} c={c} />
        ))}
      </ul>
    </section>
  );
}
