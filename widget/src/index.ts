// Entry point: <script src="https://ateb.example/widget.js" data-workspace="SLUG" async></script>.
// Ateb's address is the script's own origin. Optional: data-lang, and a verified identity (data-user-id, data-user-hash,
// data-user-name, data-user-email). window.Ateb.open() / close() / identify({ userId, userHash, name, email }).

import { pickLang } from "./strings";
import type { Identity } from "./types";
import { Widget } from "./widget";

interface AtebApi {
  open(): void;
  close(): void;
  identify(identity: Identity): void;
  loaded?: true;
}

declare global {
  interface Window { Ateb?: Partial<AtebApi> & { q?: [keyof AtebApi, unknown][] } }
}

function boot(me: HTMLScriptElement | null): void {
  if (!me || window.Ateb?.loaded) return;
  const workspace = me.dataset.workspace?.trim();
  if (!workspace) {
    console.warn("Ateb chat: the script tag needs data-workspace=\"your-workspace\"");
    return;
  }
  const base = new URL(me.src, location.href).origin;
  const d = me.dataset;
  const lang = pickLang(d.lang, document.documentElement.lang, navigator.language);
  const widget = new Widget({
    base, workspace, lang,
    identity: { userId: d.userId || null, userHash: d.userHash || null, name: d.userName || null, email: d.userEmail || null },
  });
  // Calls made before the script arrived (window.Ateb = { q: [["open"]] }) run once it is ready.
  const queued = window.Ateb?.q ?? [];
  const api: AtebApi = {
    open: () => widget.open(),
    close: () => widget.close(),
    identify: (identity) => widget.identify(identity ?? {}),
    loaded: true,
  };
  window.Ateb = api;
  const ready = widget.start();
  void ready.then(() => {
    for (const [name, arg] of queued) {
      const fn = api[name];
      if (typeof fn === "function") (fn as (a: unknown) => void)(arg);
    }
    window.dispatchEvent(new Event("ateb:ready"));
  });
}

// currentScript is set only while the script first runs: read it now; build once the body exists.
const script = (document.currentScript as HTMLScriptElement | null)
  ?? document.querySelector<HTMLScriptElement>("script[data-workspace][src*='widget.js']");
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => boot(script), { once: true });
else boot(script);
