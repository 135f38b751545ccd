import { laneTitle } from "../../parsers/share/export.ts";
import { createPseudonymizer, redactText, type RedactOptions } from "../../parsers/share/redact.ts";
import type { ModelJson } from "../../parsers/model/json.ts";
import { logText } from "../logText.ts";

/** The presentation properties a standalone SVG needs, copied from the page's stylesheet. */
const PROPERTIES = [
  "fill",
  "fill-opacity",
  "stroke",
  "stroke-width",
  "stroke-dasharray",
  "stroke-opacity",
  "stroke-linecap",
  "opacity",
  "font-family",
  "font-size",
  "font-weight",
  "font-style",
  "text-anchor",
  "dominant-baseline",
  "paint-order",
  "visibility",
  "display",
];

const HEADER = 30;

/**
 * The ladder as drawn, as a standalone SVG: styles inlined, lane titles on top, arrows the
 * filters hide left out, and every text redacted as the export setting says. Log text is in
 * text nodes and attribute values only, escaped by the serializer; the page draws no event
 * handler attributes, and any `on*` attribute is dropped anyway, since the file opens in a
 * browser on its own.
 */
export function ladderSvg(
  model: ModelJson,
  keep: ReadonlySet<number> | null,
  options: RedactOptions,
): { svg: string; width: number; height: number } {
  const source = document.querySelector<SVGSVGElement>(".ladder-body > svg");
  if (!source) throw new Error("no diagram to export");
  const clone = source.cloneNode(true) as SVGSVGElement;
  const from = [source, ...source.querySelectorAll("*")];
  const to = [clone, ...clone.querySelectorAll("*")];
  from.forEach((el, i) => {
    const target = to[i] as SVGElement | undefined;
    if (!target) return;
    const cs = getComputedStyle(el);
    const style = PROPERTIES.map((p) => `${p}:${cs.getPropertyValue(p)}`).join(";");
    target.setAttribute("style", `${style};${target.getAttribute("style") ?? ""}`);
    target.removeAttribute("class");
    for (const a of ["tabindex", "role", "aria-pressed", "data-selected", "data-highlighted"])
      target.removeAttribute(a);
  });
  if (keep)
    for (const g of clone.querySelectorAll("[data-message-id]"))
      if (!keep.has(Number(g.getAttribute("data-message-id")))) g.remove();
  const width = Number(source.getAttribute("width")) || source.clientWidth;
  const height = (Number(source.getAttribute("height")) || source.clientHeight) + HEADER;
  const page = getComputedStyle(source.closest(".ladder") ?? document.body);
  const ns = "http://www.w3.org/2000/svg";
  const out = document.createElementNS(ns, "svg");
  out.setAttribute("xmlns", ns);
  out.setAttribute("width", String(width));
  out.setAttribute("height", String(height));
  out.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const bg = document.createElementNS(ns, "rect");
  bg.setAttribute("width", "100%");
  bg.setAttribute("height", "100%");
  bg.setAttribute("fill", page.backgroundColor || "#fff");
  out.append(bg);
  // Lane titles over the lifelines (the page draws them in HTML above the diagram).
  const lanes = [...document.querySelectorAll<HTMLElement>('[data-testid="lane"]')].map(
    (e) => e.dataset.lane ?? "",
  );
  const lifelines = [...source.querySelectorAll("line.lifeline")];
  lifelines.forEach((line, i) => {
    const t = document.createElementNS(ns, "text");
    t.setAttribute("x", line.getAttribute("x1") ?? "0");
    t.setAttribute("y", String(HEADER - 10));
    t.setAttribute(
      "style",
      `font-family:${page.fontFamily};font-size:13px;font-weight:600;text-anchor:middle;fill:${page.color}`,
    );
    t.textContent = logText(laneTitle(lanes[i] ?? ""));
    out.append(t);
  });
  const body = document.createElementNS(ns, "g");
  body.setAttribute("transform", `translate(0,${HEADER})`);
  body.append(...clone.childNodes);
  out.append(body);
  const redact = options.redact !== false;
  if (redact || options.pseudonyms) {
    const p = options.pseudonyms ? createPseudonymizer() : undefined;
    p?.learnModel(model);
    const walker = document.createTreeWalker(out, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode())
      n.textContent = redactText(n.textContent ?? "", { redact }, p);
    for (const el of out.querySelectorAll("[aria-label]"))
      el.setAttribute("aria-label", redactText(el.getAttribute("aria-label") ?? "", { redact }, p));
  }
  for (const el of [out, ...out.querySelectorAll("*")])
    for (const a of [...el.attributes]) if (/^on/i.test(a.name)) el.removeAttribute(a.name);
  return { svg: new XMLSerializer().serializeToString(out), width, height };
}

/** The SVG drawn on a canvas (twice the size, for sharp text) and encoded as PNG. */
export async function svgToPng(svg: string, width: number, height: number, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("no canvas");
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("cannot encode the PNG"))), "image/png"),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
