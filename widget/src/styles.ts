// The widget's whole stylesheet, adopted by its shadow root (a constructable stylesheet: a strict style-src does not
// block it). Logical properties only, so dir="rtl" on .root mirrors everything. Pixel sizes, not rem: the host page's
// root font size must not resize the widget. .root starts from `all: initial` so nothing inherited from the host
// (font, colour, direction, line height, letter spacing…) leaks in.

export const CSS = `
:host { all: initial !important; }
.root {
  all: initial;
  display: block;
  font: 400 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Arabic", Vazirmatn, Tahoma, Arial, sans-serif, "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji";
  color: #1f2937;
  -webkit-font-smoothing: antialiased;
}
/* zero specificity: the element rules below win over this reset */
:where(.root *, .root *::before, .root *::after) { box-sizing: border-box; font: inherit; color: inherit; margin: 0; padding: 0; letter-spacing: normal; text-transform: none; }
[hidden] { display: none !important; }
.sr { position: absolute !important; inline-size: 1px; block-size: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
button, input, textarea { font: inherit; border: 0; background: none; }
button { cursor: pointer; }
button:disabled { cursor: default; opacity: .6; }
:focus-visible { outline: 3px solid #2563eb; outline-offset: 2px; }
a { color: #1d4ed8; text-decoration: underline; }

.launcher {
  position: fixed; z-index: 2147483000; inset-block-end: 20px; inset-inline-end: 20px;
  inline-size: 58px; block-size: 58px; border-radius: 50%;
  display: grid; place-items: center;
  background: var(--brand); color: var(--on-brand);
  box-shadow: 0 6px 20px rgba(0,0,0,.25);
}
.launcher svg { inline-size: 28px; block-size: 28px; }
.badge {
  position: absolute; inset-block-start: -2px; inset-inline-end: -2px; min-inline-size: 22px; block-size: 22px; padding: 0 6px;
  border-radius: 11px; background: #b91c1c; color: #fff; font-size: 12px; font-weight: 700; line-height: 22px; text-align: center;
}

.panel {
  position: fixed; z-index: 2147483001; inset-block-end: 92px; inset-inline-end: 20px;
  inline-size: 380px; block-size: min(620px, calc(100vh - 112px));
  display: flex; flex-direction: column; overflow: hidden;
  background: #fff; border-radius: 16px; box-shadow: 0 12px 40px rgba(0,0,0,.28); border: 1px solid rgba(0,0,0,.08);
}
@media (max-width: 480px) {
  .panel { inset: 0; inline-size: auto; block-size: auto; border-radius: 0; border: 0; }
  .root.open .launcher { display: none; }
}
.head { display: flex; align-items: flex-start; gap: 8px; padding-block: 14px 12px; padding-inline: 18px 10px; background: var(--brand); color: var(--on-brand); }
.head .titles { flex: 1; min-inline-size: 0; }
.head h2 { font-size: 17px; font-weight: 700; line-height: 1.3; }
.head p { font-size: 13px; opacity: .95; margin-block-start: 2px; }
.head button { display: grid; place-items: center; min-inline-size: 40px; block-size: 40px; border-radius: 8px; }
.head button:hover { background: rgba(255,255,255,.16); }
.head .end { padding-inline: 10px; font-size: 13px; font-weight: 600; border: 1px solid currentColor; block-size: 34px; margin-block-start: 3px; }
.head :focus-visible { outline-color: var(--on-brand); }

.body { flex: 1; min-block-size: 0; display: flex; flex-direction: column; }
.scroll { flex: 1; min-block-size: 0; overflow-y: auto; overscroll-behavior: contain; padding: 14px; display: flex; flex-direction: column; gap: 10px; }
.log { display: flex; flex-direction: column; gap: 8px; }
.greeting { align-self: flex-start; background: #f1f5f9; border-radius: 14px; padding: 9px 13px; max-inline-size: 85%; white-space: pre-wrap; }
.msg { max-inline-size: 82%; display: flex; flex-direction: column; gap: 2px; }
.msg .bubble { padding: 9px 13px; border-radius: 16px; white-space: pre-wrap; overflow-wrap: anywhere; }
.msg.visitor { align-self: flex-end; align-items: flex-end; }
.msg.visitor .bubble { background: var(--brand); color: var(--on-brand); border-end-end-radius: 4px; }
.msg.visitor .bubble a { color: inherit; }
.msg.agent { align-self: flex-start; }
.msg.agent .bubble { background: #f1f5f9; border-end-start-radius: 4px; }
.msg.system { align-self: center; text-align: center; font-size: 13px; color: #4b5563; }
.msg.system .bubble { padding: 2px 8px; }
.msg.pending .bubble { opacity: .7; }
.meta { font-size: 12px; color: #4b5563; padding-inline: 6px; }
.att { display: inline-flex; align-items: center; gap: 6px; text-decoration: underline; color: inherit; text-align: start; }
.att svg { inline-size: 18px; block-size: 18px; flex: none; }
.typing { font-size: 13px; color: #4b5563; font-style: italic; min-block-size: 1.2em; }
.status { font-size: 13px; color: #374151; background: #f8fafc; border-radius: 10px; padding: 8px 12px; }
.error { color: #b91c1c; font-size: 13px; }

.suggest { border-block-start: 1px solid #e5e7eb; padding: 8px 14px; font-size: 13px; }
.suggest ul { list-style: none; display: flex; flex-direction: column; gap: 4px; margin-block-start: 4px; }
.suggest a { display: block; }
.composer { display: flex; flex-direction: row; align-items: flex-end; gap: 6px; padding: 10px; border-block-start: 1px solid #e5e7eb; }
.composer textarea {
  flex: 1; resize: none; min-block-size: 44px; max-block-size: 140px; padding: 10px 12px; border: 1px solid #9ca3af; border-radius: 12px; background: #fff; line-height: 1.4;
}
.composer button { display: grid; place-items: center; inline-size: 44px; block-size: 44px; border-radius: 12px; flex: none; }
.composer .sendb { background: var(--brand); color: var(--on-brand); }
.composer .attb { color: #374151; }
.composer .attb:hover { background: #f1f5f9; }
[dir=rtl] .sendb svg, [dir=rtl] .attb svg { transform: scaleX(-1); }

form { display: flex; flex-direction: column; gap: 12px; }
.form p { color: #374151; }
label { display: flex; flex-direction: column; gap: 4px; font-size: 14px; font-weight: 600; }
label .opt { font-weight: 400; color: #4b5563; }
input, textarea.field { inline-size: 100%; min-block-size: 44px; padding: 9px 12px; border: 1px solid #9ca3af; border-radius: 10px; background: #fff; font-weight: 400; }
textarea.field { min-block-size: 110px; resize: vertical; }
.primary { min-block-size: 44px; padding: 10px 16px; border-radius: 10px; background: var(--brand); color: var(--on-brand); font-weight: 600; }
.secondary { min-block-size: 44px; padding: 10px 16px; border-radius: 10px; border: 1px solid #9ca3af; font-weight: 600; }
fieldset { border: 0; min-inline-size: 0; }
legend { font-weight: 600; margin-block-end: 6px; }
.stars { display: flex; gap: 4px; }
.stars button { inline-size: 44px; block-size: 44px; border-radius: 10px; font-size: 26px; line-height: 1; color: #9ca3af; border: 1px solid #e5e7eb; }
.stars button[aria-pressed=true] { color: #b45309; border-color: #b45309; }
.ended { display: flex; flex-direction: column; gap: 14px; padding-block-start: 6px; border-block-start: 1px solid #e5e7eb; }
.receipt { font-size: 16px; font-weight: 600; background: #ecfdf5; color: #065f46; border-radius: 10px; padding: 12px; }
@media (prefers-reduced-motion: no-preference) { .panel { animation: ateb-in .16s ease-out; } }
@keyframes ateb-in { from { opacity: 0; transform: translateY(8px); } }
`;
