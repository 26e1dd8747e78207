// Building DOM without ever parsing markup: every piece of text becomes a text node, so a message can hold "<script>"
// and show exactly that. There is no innerHTML anywhere in the widget.

type Attrs = Record<string, string | number | boolean | null | undefined>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) setAttrs(el, attrs);
  for (const c of children) if (c) el.append(c);
  return el;
}

export function setAttrs(el: Element, attrs: Attrs): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) el.removeAttribute(k);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
}

const SVG = "http://www.w3.org/2000/svg";

/** A 24×24 stroke icon from path data (no markup parsing: the elements are made one by one). */
export function icon(...paths: string[]): SVGSVGElement {
  const svg = document.createElementNS(SVG, "svg");
  setAttrs(svg, { viewBox: "0 0 24 24", width: 22, height: 22, "aria-hidden": "true", focusable: "false", fill: "none",
    stroke: "currentColor", "stroke-width": 2, "stroke-linecap": "round", "stroke-linejoin": "round" });
  for (const d of paths) {
    const p = document.createElementNS(SVG, "path");
    p.setAttribute("d", d);
    svg.append(p);
  }
  return svg;
}

export const ICONS = {
  chat: ["M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"],
  close: ["M6 6l12 12", "M18 6L6 18"],
  send: ["M4 12l16-8-6 16-2.5-6.5z", "M11.5 13.5L20 4"],
  attach: ["M20 11.5l-8.2 8.2a5 5 0 0 1-7.1-7.1l8.5-8.5a3.3 3.3 0 0 1 4.7 4.7l-8.4 8.4a1.7 1.7 0 0 1-2.4-2.4l7.6-7.6"],
  file: ["M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z", "M14 3v5h5"],
};

// http(s) links only; what a sentence puts after a link (a full stop, a closing bracket) is not part of it.
const URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING = /[.,;:!?'")\]}\u00bb\u060c\u061b\u061f]+$/; // » ، ؛ ؟ as escapes: the bundle is ASCII

/** Plain text as nodes, http/https addresses made into links that open in a new tab and pass nothing to the target. */
export function linkify(text: string): DocumentFragment {
  const out = document.createDocumentFragment();
  let last = 0;
  for (const m of text.matchAll(URL_RE)) {
    let raw = m[0];
    const trail = TRAILING.exec(raw);
    // Keep a closing bracket that has its opening one inside the link (Wikipedia-style addresses).
    if (trail) raw = raw.slice(0, raw.length - trail[0].length);
    if (raw.endsWith("(") || !safeUrl(raw)) continue;
    const start = m.index ?? 0;
    if (start > last) out.append(text.slice(last, start));
    const a = h("a", { href: safeUrl(raw)!, target: "_blank", rel: "noopener noreferrer nofollow" }, raw);
    out.append(a);
    last = start + raw.length;
  }
  if (last < text.length) out.append(text.slice(last));
  return out;
}

/** The address if it parses as http or https; null for anything else (javascript:, data:, …). */
export function safeUrl(raw: string, base?: string): string | null {
  try {
    const u = new URL(raw, base);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}
