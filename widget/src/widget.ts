// The widget: a launcher and a panel in a shadow root, a visitor token, and one SignalR connection to /hubs/chat.
// Flow (docs/chat-protocol.md): GET widget config → (pre-chat form) → POST visitors → connect → Hello(lastMessageId)
// → Send/Typing/Marks/End/Rate/Transcript; after every reconnect Hello again with the last message seen, then resend
// what is still pending with the same clientId. When chat is not open the panel is the offline contact form.

import { HubConnection, HubConnectionBuilder, LogLevel } from "@microsoft/signalr";
import { Api, HttpError } from "./api";
import { h, icon, ICONS, linkify, safeUrl } from "./dom";
import { Store, tabFlag, type Pending } from "./store";
import { CSS } from "./styles";
import { RTL, translator, type Key, type Lang, type T } from "./strings";
import type { AvailabilityView, Conversation, Identity, Marks, Message, SendResult, Suggestion, Typing, VisitorSync, WidgetConfig } from "./types";

export interface Options { base: string; workspace: string; lang: Lang; identity: Identity }

type View = "prechat" | "chat" | "offline";

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const RETRY_MS = [0, 1000, 2000, 5000];

/** The error code of a HubException ("…HubException: chat_offline"); undefined for a transport failure. */
function hubCode(e: unknown): string | undefined {
  const m = /HubException: (\w+)\s*$/.exec(e instanceof Error ? e.message : String(e));
  return m?.[1];
}

function uuid(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = Array.from(b, (v) => v.toString(16).padStart(2, "0")).join("");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** White or near-black text, whichever reads better on the brand colour (WCAG relative luminance). */
function onColor(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  const lin = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const l = 0.2126 * lin((n >> 16) & 255) + 0.7152 * lin((n >> 8) & 255) + 0.0722 * lin(n & 255);
  return (1.05 / (l + 0.05)) >= 4.5 ? "#ffffff" : "#111827";
}

export class Widget {
  private readonly t: T;
  private readonly api: Api;
  private readonly store: Store;
  private readonly openKey: string;
  private cfg?: WidgetConfig;
  private identity: Identity;
  private availability: AvailabilityView = { state: "open" };
  private hub?: HubConnection;
  private connecting?: Promise<void>;
  private ready = false;
  private reconnecting = false;
  private flushing = false;
  private isOpen = false;
  private unread = 0;
  private dismissedEnded = false;
  private agentTyping: { name?: string | null } | null = null;
  private typingTimer?: number;
  private agentMarks: { delivered?: string | null; read?: string | null } = {};
  private sentMarks: { delivered?: string; read?: string } = {};
  private marksTimer?: number;
  private typingSentAt = 0;
  private typingStop?: number;
  private suggestTimer?: number;
  private suggestAbort?: AbortController;
  private uploads = new Map<string, string>();
  private notice: Key | null = null;
  private rated = false;
  private transcriptTo: string | null = null;

  // DOM
  private readonly host: HTMLElement;
  private readonly root: HTMLDivElement;
  private readonly sheet: CSSStyleSheet | HTMLStyleElement;
  private readonly launcher: HTMLButtonElement;
  private readonly badge: HTMLSpanElement;
  private readonly panel: HTMLDivElement;
  private readonly title: HTMLHeadingElement;
  private readonly statusLine: HTMLParagraphElement;
  private readonly endButton: HTMLButtonElement;
  private readonly views: Record<View, HTMLElement>;
  private readonly prechatForm: HTMLFormElement;
  private readonly prechatNote: HTMLParagraphElement;
  private readonly nameInput: HTMLInputElement;
  private readonly emailInput: HTMLInputElement;
  private readonly nameOpt: HTMLSpanElement;
  private readonly emailOpt: HTMLSpanElement;
  private readonly scroll: HTMLDivElement;
  private readonly greeting: HTMLParagraphElement;
  private readonly log: HTMLDivElement;
  private readonly rows = new Map<string, HTMLElement>();
  private readonly typingLine: HTMLParagraphElement;
  private readonly noticeLine: HTMLParagraphElement;
  private readonly endedBox: HTMLDivElement;
  private readonly rateBox: HTMLFormElement;
  private readonly stars: HTMLButtonElement[] = [];
  private readonly rateComment: HTMLTextAreaElement;
  private readonly rateThanks: HTMLParagraphElement;
  private readonly transcriptForm: HTMLFormElement;
  private readonly transcriptEmail: HTMLInputElement;
  private readonly transcriptDone: HTMLParagraphElement;
  private readonly suggestBox: HTMLDivElement;
  private readonly suggestList: HTMLUListElement;
  private readonly composer: HTMLFormElement;
  private readonly input: HTMLTextAreaElement;
  private readonly fileInput: HTMLInputElement;
  private readonly offlineHours: HTMLParagraphElement;
  private readonly offlineForm: HTMLFormElement;
  private readonly offline: Record<"name" | "email" | "subject" | "message", HTMLInputElement | HTMLTextAreaElement>;
  private readonly offlineError: HTMLParagraphElement;
  private readonly receipt: HTMLParagraphElement;
  private readonly another: HTMLButtonElement;
  private score = 0;

  constructor(private readonly opts: Options) {
    this.t = translator(opts.lang);
    this.api = new Api(opts.base, opts.workspace);
    this.identity = { ...opts.identity };
    this.store = new Store(`ateb.chat:${opts.base}:${opts.workspace}`);
    this.openKey = `ateb.chat.open:${opts.base}:${opts.workspace}`;
    const t = this.t;

    this.host = document.createElement("ateb-chat");
    const shadow = this.host.attachShadow({ mode: "open" });
    if ("adoptedStyleSheets" in Document.prototype && "replaceSync" in CSSStyleSheet.prototype) {
      this.sheet = new CSSStyleSheet();
      this.sheet.replaceSync(CSS);
      shadow.adoptedStyleSheets = [this.sheet];
    } else {
      // Old browsers: a <style> in the shadow root (needs style-src 'unsafe-inline' under a CSP).
      this.sheet = h("style", null, CSS);
      shadow.append(this.sheet);
    }

    const id = (s: string) => `ateb-${s}`;
    this.badge = h("span", { class: "badge", hidden: true, "aria-hidden": "true" });
    this.launcher = h("button", { type: "button", class: "launcher", "aria-controls": id("panel"), "aria-expanded": "false", hidden: true },
      icon(...ICONS.chat), this.badge);
    this.launcher.addEventListener("click", () => (this.isOpen ? this.close() : this.open()));

    // Header
    this.title = h("h2", { id: id("title") });
    this.statusLine = h("p", { role: "status" });
    this.endButton = h("button", { type: "button", class: "end" }, t("endChat"));
    this.endButton.addEventListener("click", () => void this.end());
    const closeButton = h("button", { type: "button", "aria-label": t("close"), title: t("close") }, icon(...ICONS.close));
    closeButton.addEventListener("click", () => this.close());
    const head = h("div", { class: "head" }, h("div", { class: "titles" }, this.title, this.statusLine), this.endButton, closeButton);

    // Pre-chat form
    this.nameOpt = h("span", { class: "opt" });
    this.emailOpt = h("span", { class: "opt" });
    this.nameInput = h("input", { type: "text", name: "name", autocomplete: "name", maxlength: 200 });
    this.emailInput = h("input", { type: "email", name: "email", autocomplete: "email", maxlength: 320 });
    this.prechatNote = h("p", { id: id("prechat-note") });
    const prechatError = h("p", { class: "error", role: "alert" });
    this.prechatForm = h("form", { class: "form prechat", novalidate: true, "aria-describedby": id("prechat-note") },
      this.prechatNote,
      h("label", null, h("span", null, t("name"), " ", this.nameOpt), this.nameInput),
      h("label", null, h("span", null, t("email"), " ", this.emailOpt), this.emailInput),
      prechatError,
      h("button", { type: "submit", class: "primary" }, t("startChat")));
    this.prechatForm.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.submitPrechat(prechatError);
    });
    const prechatView = h("div", { class: "scroll" }, this.prechatForm);

    // Chat
    this.greeting = h("p", { class: "greeting", dir: "auto" });
    this.log = h("div", { class: "log", role: "log", "aria-label": t("conversation") });
    this.typingLine = h("p", { class: "typing", "aria-live": "polite" });
    this.noticeLine = h("p", { class: "status", role: "alert", hidden: true });
    this.stars = [1, 2, 3, 4, 5].map((n) => {
      const b = h("button", { type: "button", "aria-pressed": "false", "aria-label": t("star", { n, max: 5 }) }, "★");
      b.addEventListener("click", () => this.pickScore(n));
      return b;
    });
    this.rateComment = h("textarea", { class: "field", maxlength: 2000 });
    this.rateThanks = h("p", { role: "status" });
    this.rateBox = h("form", { novalidate: true },
      h("fieldset", { class: "rate" }, h("legend", null, t("rateQuestion")), h("div", { class: "stars" }, ...this.stars)),
      h("label", null, h("span", null, t("comment"), " ", h("span", { class: "opt" }, `(${t("optional")})`)), this.rateComment),
      h("button", { type: "submit", class: "primary" }, t("sendRating")));
    this.rateBox.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.rate();
    });
    this.transcriptEmail = h("input", { type: "email", autocomplete: "email", maxlength: 320 });
    this.transcriptDone = h("p", { role: "status" });
    this.transcriptForm = h("form", { novalidate: true },
      h("label", null, t("transcript"), this.transcriptEmail),
      h("button", { type: "submit", class: "secondary" }, t("transcriptSend")));
    this.transcriptForm.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.transcript();
    });
    const newChat = h("button", { type: "button", class: "secondary" }, t("newChat"));
    newChat.addEventListener("click", () => this.newChat());
    this.endedBox = h("div", { class: "ended", hidden: true },
      h("p", null, t("ended")), this.rateBox, this.rateThanks, this.transcriptForm, this.transcriptDone, newChat);
    this.scroll = h("div", { class: "scroll" }, this.greeting, this.log, this.typingLine, this.noticeLine, this.endedBox);

    this.suggestList = h("ul");
    this.suggestBox = h("div", { class: "suggest", hidden: true }, h("p", { id: id("suggest") }, t("suggestions")), this.suggestList);
    this.suggestList.setAttribute("aria-labelledby", id("suggest"));
    this.input = h("textarea", { rows: 1, name: "text", "aria-label": t("message"), placeholder: t("placeholder"), maxlength: 5000, dir: "auto" });
    this.fileInput = h("input", { type: "file", hidden: true, tabindex: -1, "aria-label": t("attach") });
    const attach = h("button", { type: "button", class: "attb", "aria-label": t("attach"), title: t("attach") }, icon(...ICONS.attach));
    attach.addEventListener("click", () => this.fileInput.click());
    this.fileInput.addEventListener("change", () => {
      const file = this.fileInput.files?.[0];
      this.fileInput.value = "";
      if (file) void this.upload(file);
    });
    const sendButton = h("button", { type: "submit", class: "sendb", "aria-label": t("send"), title: t("send") }, icon(...ICONS.send));
    this.composer = h("form", { class: "composer" }, attach, this.fileInput, this.input, sendButton);
    this.composer.addEventListener("submit", (e) => {
      e.preventDefault();
      this.submitMessage();
    });
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.submitMessage();
      }
    });
    this.input.addEventListener("input", () => this.onInput());
    const chatView = h("div", { class: "body" }, this.scroll, this.suggestBox, this.composer);

    // Offline contact form
    this.offlineHours = h("p");
    const field = (name: string, ac?: string) => h("input", { type: name === "email" ? "email" : "text", name, autocomplete: ac, maxlength: name === "email" ? 320 : 200 });
    this.offline = {
      name: field("name", "name"),
      email: field("email", "email"),
      subject: field("subject"),
      message: h("textarea", { class: "field", name: "message", maxlength: 5000, dir: "auto" }),
    };
    this.offlineError = h("p", { class: "error", role: "alert" });
    this.receipt = h("p", { class: "receipt", role: "status", tabindex: -1, hidden: true });
    this.offlineForm = h("form", { class: "form contact", novalidate: true },
      h("p", null, h("strong", null, t("offlineTitle")), " ", t("offlineText")),
      this.offlineHours,
      h("label", null, h("span", null, t("name"), " ", h("span", { class: "opt" }, `(${t("optional")})`)), this.offline.name),
      h("label", null, t("email"), this.offline.email),
      h("label", null, h("span", null, t("subject"), " ", h("span", { class: "opt" }, `(${t("optional")})`)), this.offline.subject),
      h("label", null, t("message"), this.offline.message),
      this.offlineError,
      h("button", { type: "submit", class: "primary" }, t("sendMessage")));
    this.offlineForm.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.contact();
    });
    this.another = h("button", { type: "button", class: "secondary", hidden: true }, t("another"));
    this.another.addEventListener("click", () => {
      this.store.data.receipt = undefined;
      this.store.save();
      this.render();
      this.focusView();
    });
    const offlineView = h("div", { class: "scroll" }, this.receipt, this.another, this.offlineForm);

    this.views = { prechat: prechatView, chat: chatView, offline: offlineView };
    this.panel = h("div", { class: "panel", id: id("panel"), role: "dialog", "aria-labelledby": id("title"), hidden: true },
      head, prechatView, chatView, offlineView);
    this.panel.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        this.close();
      }
    });
    this.root = h("div", { class: "root", lang: opts.lang, dir: RTL.includes(opts.lang) ? "rtl" : "ltr" }, this.launcher, this.panel);
    shadow.append(this.root);

    document.addEventListener("visibilitychange", () => this.queueMarks());
    // Another tab renewed the shared token: use the fresh one too.
    window.addEventListener("storage", (e) => {
      if (e.key !== this.store.key || !e.newValue) return;
      try {
        const other = JSON.parse(e.newValue) as { token?: string; visitorId?: string };
        const d = this.store.data;
        if (other.token && other.visitorId && other.visitorId === d.visitorId) d.token = other.token;
      } catch {
        /* not ours to judge */
      }
    });
  }

  // ---- start ----

  async start(): Promise<void> {
    (document.body ?? document.documentElement).append(this.host);
    try {
      this.cfg = await this.api.config(this.opts.lang);
    } catch (e) {
      console.warn(`Ateb chat: no widget for workspace "${this.opts.workspace}" on ${this.opts.base} (${e instanceof HttpError ? e.status : "network"})`);
      this.host.remove();
      return;
    }
    const brand = /^#[0-9a-f]{6}$/i.test(this.cfg.brandColor) ? this.cfg.brandColor : "#0f766e";
    const vars = `.root { --brand: ${brand}; --on-brand: ${onColor(brand)}; }`;
    if (this.sheet instanceof CSSStyleSheet) this.sheet.insertRule(vars, 0);
    else this.sheet.append(vars);
    this.availability = this.cfg.availability;
    this.title.textContent = this.cfg.name;
    this.greeting.textContent = this.cfg.greeting;
    this.greeting.hidden = !this.cfg.greeting;
    this.launcher.hidden = false;

    const d = this.store.data;
    if (d.token && (d.userId ?? "") !== (this.identity.userId ?? "")) this.store.reset();
    this.fillForms();
    if (this.store.data.token && (this.live() || this.store.data.pending.length)) void this.connect();
    this.render();
    if (tabFlag(this.openKey)) this.open(false);
  }

  // ---- public API (window.Ateb) ----

  open(focus = true): void {
    if (!this.cfg) return;
    this.isOpen = true;
    tabFlag(this.openKey, true);
    this.unread = 0;
    this.render();
    if (this.store.data.token) void this.connect();
    else if (this.view() === "chat") void this.begin();
    if (focus) this.focusView();
    this.queueMarks();
    this.scrollDown();
  }

  close(): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    tabFlag(this.openKey, false);
    this.render();
    this.launcher.focus();
  }

  /** The host site's user changed (signed in, out, or another user): a different user never sees this one's chat. */
  identify(identity: Identity): void {
    const next = { ...identity };
    const changed = (next.userId ?? "") !== (this.identity.userId ?? "");
    this.identity = next;
    if (changed && this.store.data.token) {
      this.disconnect();
      this.store.reset();
      this.rows.clear();
      this.log.replaceChildren();
      if (this.isOpen && this.view() === "chat") void this.begin();
    }
    this.fillForms();
    this.render();
  }

  // ---- state ----

  private live(): boolean {
    const c = this.store.data.conversation;
    return !!c && c.state !== "ended";
  }

  private view(): View {
    const d = this.store.data;
    if (this.live() || d.pending.length) return "chat";
    if (d.conversation && !this.dismissedEnded) return "chat";
    if (this.availability.state !== "open") return "offline";
    if (!d.token && this.cfg?.preChat !== "none" && !(this.identity.userId && this.identity.userHash)) return "prechat";
    return "chat";
  }

  private fillForms(): void {
    const d = this.store.data;
    const name = this.identity.name ?? d.name ?? "";
    const email = this.identity.email ?? d.email ?? "";
    if (!this.nameInput.value) this.nameInput.value = name;
    if (!this.emailInput.value) this.emailInput.value = email;
    if (!this.offline.name.value) this.offline.name.value = name;
    if (!this.offline.email.value) this.offline.email.value = email;
    if (!this.transcriptEmail.value) this.transcriptEmail.value = email;
  }

  /** A visitor token: the stored one, else a new visitor (verified when the host passed a valid HMAC). */
  private async ensureVisitor(name?: string, email?: string): Promise<void> {
    const d = this.store.data;
    if (d.token) return;
    const body = { ...this.identity, name: name || this.identity.name || undefined, email: email || this.identity.email || undefined, language: this.opts.lang };
    let tok;
    try {
      tok = await this.api.visitor(body);
    } catch (e) {
      if (!(e instanceof HttpError && e.status === 422 && e.fields().some((f) => /^user(hash|id)$/i.test(f)))) throw e;
      console.warn("Ateb chat: the user hash does not match the user id; chatting as an anonymous visitor");
      tok = await this.api.visitor({ ...body, userId: undefined, userHash: undefined });
    }
    Object.assign(d, { token: tok.token, visitorId: tok.visitorId, userId: this.identity.userId ?? "", name: body.name, email: body.email });
    this.store.save();
  }

  /** The old token for a fresh one (same visitor, same history); a visitor whose session is over starts afresh. */
  private async renew(): Promise<void> {
    const d = this.store.data;
    try {
      const tok = await this.api.visitor({ ...this.identity, language: this.opts.lang }, d.token);
      if (d.visitorId && tok.visitorId !== d.visitorId) {
        // The old session could not be renewed: a new visitor, who does not see the old one's messages.
        const { name, email } = d;
        this.store.reset();
        this.rows.clear();
        this.log.replaceChildren();
        Object.assign(this.store.data, { name, email, userId: this.identity.userId ?? "" });
      }
      Object.assign(this.store.data, { token: tok.token, visitorId: tok.visitorId });
      this.store.save();
    } catch (e) {
      if (!(e instanceof HttpError) || e.status >= 500) throw e;
      const { name, email } = d;
      this.store.reset();
      this.rows.clear();
      this.log.replaceChildren();
      await this.ensureVisitor(name, email);
    }
  }

  private async begin(): Promise<void> {
    try {
      await this.ensureVisitor(this.nameInput.value.trim(), this.emailInput.value.trim());
      await this.connect();
    } catch {
      this.showNotice("error");
    }
  }

  // ---- connection ----

  private connect(): Promise<void> {
    if (this.hub) return this.connecting ?? Promise.resolve();
    const hub = new HubConnectionBuilder()
      .withUrl(`${this.opts.base}/hubs/chat?workspace=${encodeURIComponent(this.opts.workspace)}`, { withCredentials: false })
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (r) => RETRY_MS[r.previousRetryCount] ?? 8000 + Math.random() * 4000 })
      .configureLogging(LogLevel.None)
      .build();
    hub.serverTimeoutInMilliseconds = 30_000;
    hub.on("Message", (m: Message) => this.onMessage(m));
    hub.on("Conversation", (c: Conversation) => this.setConversation(c));
    hub.on("Typing", (t: Typing) => this.onTyping(t));
    hub.on("Marks", (m: Marks) => this.onMarks(m));
    hub.on("Availability", (a: AvailabilityView) => {
      this.availability = a;
      this.render();
    });
    hub.onreconnecting(() => {
      this.ready = false;
      this.reconnecting = true;
      this.render();
    });
    hub.onreconnected(() => {
      this.reconnecting = false;
      void this.hello();
    });
    hub.onclose(() => {
      // Reconnecting gave up (or never started): start over in a while, unless we closed it on purpose.
      if (this.hub !== hub) return;
      this.hub = undefined;
      this.ready = false;
      this.reconnecting = true;
      this.render();
      window.setTimeout(() => void this.connect(), 5000 + Math.random() * 5000);
    });
    this.hub = hub;
    this.connecting = (async () => {
      try {
        await hub.start();
      } catch {
        if (this.hub === hub) {
          this.hub = undefined;
          this.reconnecting = true;
          this.render();
          window.setTimeout(() => void this.connect(), 3000 + Math.random() * 3000);
        }
        return;
      }
      this.reconnecting = false;
      await this.hello();
    })();
    return this.connecting;
  }

  private disconnect(): void {
    const hub = this.hub;
    this.hub = undefined;
    this.ready = false;
    void hub?.stop();
  }

  /** Authenticates the connection and resyncs from the last message seen; then resends what is pending. */
  private async hello(retried = false): Promise<void> {
    const hub = this.hub;
    if (!hub) return;
    const d = this.store.data;
    const last = d.messages.at(-1)?.id ?? null;
    let sync: VisitorSync;
    try {
      sync = await hub.invoke<VisitorSync>("Hello", { token: d.token, lastMessageId: last, language: this.opts.lang });
    } catch (e) {
      if (hubCode(e) === "unauthenticated" && !retried) {
        try {
          await this.renew();
        } catch {
          return;
        }
        return this.hello(true);
      }
      return; // the connection dropped: onreconnected says Hello again
    }
    if (hub !== this.hub) return;
    this.availability = sync.availability;
    const conv = sync.conversation ?? null;
    if (conv && d.conversation && conv.id !== d.conversation.id && last && !retried) {
      // A conversation this page has not seen (begun in another tab): fetch it whole.
      d.messages = [];
      d.conversation = conv;
      return this.hello(true);
    }
    if (!conv) d.messages = [];
    if (conv) this.setConversation(conv, false);
    for (const m of sync.messages) this.merge(m);
    this.store.save();
    this.ready = true;
    this.render();
    this.queueMarks();
    void this.flush();
  }

  /** Calls a hub method; an expired token is renewed (and the connection greeted again) once. */
  private async invoke<R>(method: string, ...args: unknown[]): Promise<R> {
    for (let attempt = 0; ; attempt++) {
      const hub = this.hub;
      if (!hub || !this.ready) throw new Error("not connected");
      try {
        return await hub.invoke<R>(method, ...args);
      } catch (e) {
        if (hubCode(e) !== "unauthenticated" || attempt > 0) throw e;
        this.ready = false;
        await this.renew();
        await this.hello(true);
      }
    }
  }

  // ---- incoming ----

  /**
   * The conversation of a Send or upload answer. Its state is as of the call, and pushed Conversation events that left
   * the server after it may arrive before it: so it only starts a conversation, never overwrites the one being pushed.
   */
  private adoptConversation(c: Conversation): void {
    if (this.store.data.conversation?.id !== c.id) this.setConversation(c, false);
  }

  private setConversation(c: Conversation, save = true): void {
    const d = this.store.data;
    const prev = d.conversation;
    if (prev && prev.id !== c.id) {
      d.messages = d.messages.filter((m) => m.conversationId === c.id);
      this.agentMarks = {};
      this.rated = false;
      this.transcriptTo = null;
    }
    d.conversation = c;
    if (c.state !== "ended") {
      this.dismissedEnded = false;
      d.receipt = undefined;
    } else {
      this.agentTyping = null;
      if (c.rating) this.rated = true;
    }
    if (c.deliveredUpTo) this.agentMarks.delivered = c.deliveredUpTo;
    if (c.readUpTo) this.agentMarks.read = c.readUpTo;
    if (save) {
      this.store.save();
      this.render();
    }
  }

  private merge(m: Message): boolean {
    if (m.isNote) return false;
    const d = this.store.data;
    if (d.conversation && m.conversationId !== d.conversation.id) {
      // A message of a newer conversation (a Conversation event follows): drop the old one's messages.
      if (!d.messages.some((x) => x.conversationId === m.conversationId)) d.messages = [];
    }
    if (m.clientId) {
      d.pending = d.pending.filter((p) => p.clientId !== m.clientId);
      this.uploads.delete(m.clientId);
    }
    const i = d.messages.findIndex((x) => x.id === m.id);
    if (i >= 0) {
      d.messages[i] = m;
      return false;
    }
    d.messages.push(m);
    const at = Date.parse(m.createdAt);
    for (let j = d.messages.length - 1; j > 0 && Date.parse(d.messages[j - 1].createdAt) > at; j--) {
      [d.messages[j - 1], d.messages[j]] = [d.messages[j], d.messages[j - 1]];
    }
    return true;
  }

  private onMessage(m: Message): void {
    if (!this.merge(m)) {
      this.render();
      return;
    }
    if (m.author === "agent") {
      this.agentTyping = null;
      if (!this.isOpen || document.visibilityState !== "visible") this.unread++;
    }
    this.store.save();
    this.render();
    this.scrollDown();
    this.queueMarks();
  }

  private onTyping(t: Typing): void {
    if (t.who !== "agent") return;
    this.agentTyping = t.isTyping ? { name: t.name } : null;
    window.clearTimeout(this.typingTimer);
    if (t.isTyping) {
      this.typingTimer = window.setTimeout(() => {
        this.agentTyping = null;
        this.render();
      }, 10_000);
    }
    this.render();
  }

  private onMarks(m: Marks): void {
    if (m.by !== "agent") return;
    if (m.deliveredUpTo) this.agentMarks.delivered = m.deliveredUpTo;
    if (m.readUpTo) this.agentMarks.read = m.readUpTo;
    this.render();
  }

  /** Tells Ateb which agent messages this widget received (delivered) and showed in an open, visible panel (read). */
  private queueMarks(): void {
    window.clearTimeout(this.marksTimer);
    this.marksTimer = window.setTimeout(() => {
      if (!this.ready) return;
      const lastAgent = [...this.store.data.messages].reverse().find((m) => m.author === "agent");
      if (!lastAgent) return;
      const delivered = lastAgent.id;
      const read = this.isOpen && document.visibilityState === "visible" ? lastAgent.id : this.sentMarks.read;
      if (delivered === this.sentMarks.delivered && read === this.sentMarks.read) return;
      this.invoke("Marks", { deliveredUpTo: delivered, readUpTo: read ?? null }).then(
        () => (this.sentMarks = { delivered, read }),
        () => undefined);
    }, 200);
  }

  // ---- outgoing ----

  private async submitPrechat(error: HTMLParagraphElement): Promise<void> {
    const name = this.nameInput.value.trim();
    const email = this.emailInput.value.trim();
    const required = this.cfg?.preChat === "required";
    let bad: HTMLInputElement | null = null;
    let msg: Key | null = null;
    if (required && !name) [bad, msg] = [this.nameInput, "required"];
    else if (required && !email) [bad, msg] = [this.emailInput, "required"];
    else if (email && !EMAIL_RE.test(email)) [bad, msg] = [this.emailInput, "badEmail"];
    this.nameInput.removeAttribute("aria-invalid");
    this.emailInput.removeAttribute("aria-invalid");
    error.textContent = msg ? this.t(msg) : "";
    if (bad) {
      bad.setAttribute("aria-invalid", "true");
      bad.focus();
      return;
    }
    try {
      await this.ensureVisitor(name, email);
    } catch {
      error.textContent = this.t("error");
      return;
    }
    this.fillForms();
    this.render();
    this.focusView();
    void this.connect();
  }

  private submitMessage(): void {
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = "";
    this.autosize();
    this.hideSuggestions();
    this.stopTyping();
    this.dismissedEnded = true;
    this.store.data.pending.push({ clientId: uuid(), text, createdAt: new Date().toISOString() });
    this.store.save();
    this.render();
    this.scrollDown();
    void (async () => {
      if (!this.store.data.token) await this.begin();
      else void this.connect();
      void this.flush();
    })();
  }

  /** Sends pending messages in order, each with its clientId (a resend after a drop returns the stored message). */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      const d = this.store.data;
      while (d.pending.length && this.ready) {
        const p: Pending = d.pending[0];
        try {
          const r = await this.invoke<SendResult>("Send", { clientId: p.clientId, text: p.text, pageUrl: location.href, pageTitle: document.title || null });
          this.adoptConversation(r.conversation);
          this.merge(r.message);
          d.pending = d.pending.filter((x) => x.clientId !== p.clientId);
          this.store.save();
          this.render();
        } catch (e) {
          const code = hubCode(e);
          if (!code) return; // offline or dropped: retried after the reconnect's Hello
          if (code === "rate_limited") {
            this.showNotice("rateLimited");
            await new Promise((r) => setTimeout(r, 3000));
            continue;
          }
          d.pending = d.pending.filter((x) => x.clientId !== p.clientId);
          this.store.save();
          if (code === "chat_offline") {
            // Nobody can take it: the visitor's words move to the contact form, nothing is lost.
            if (this.availability.state === "open") this.availability = { state: "noAgents" };
            const rest = [p, ...d.pending].map((x) => x.text).join("\n\n");
            d.pending = [];
            this.store.data.conversation = this.live() ? this.store.data.conversation : null;
            this.offline.message.value = this.offline.message.value ? `${this.offline.message.value}\n\n${rest}` : rest;
            this.store.save();
            this.render();
            this.focusView();
            return;
          }
          this.showNotice(code === "too_long" ? "tooLong" : "error");
          this.render();
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private onInput(): void {
    this.autosize();
    // Typing: at most one "typing" every 3 s while keys are pressed, "stopped" after 4 s without one.
    if (this.live() && this.ready) {
      const now = Date.now();
      if (now - this.typingSentAt > 3000) {
        this.typingSentAt = now;
        this.invoke("Typing", true).catch(() => undefined);
      }
      window.clearTimeout(this.typingStop);
      this.typingStop = window.setTimeout(() => this.stopTyping(), 4000);
    }
    // Suggestions: debounced, for what looks like a question (three words or more).
    window.clearTimeout(this.suggestTimer);
    const text = this.input.value.trim();
    if (text.length < 8 || text.split(/\s+/).length < 2) {
      this.hideSuggestions();
      return;
    }
    this.suggestTimer = window.setTimeout(() => void this.suggest(text), 400);
  }

  private stopTyping(): void {
    window.clearTimeout(this.typingStop);
    if (this.typingSentAt && this.ready) this.invoke("Typing", false).catch(() => undefined);
    this.typingSentAt = 0;
  }

  private async suggest(text: string): Promise<void> {
    this.suggestAbort?.abort();
    const abort = (this.suggestAbort = new AbortController());
    let items: Suggestion[];
    try {
      items = await this.api.suggestions(text, this.opts.lang, abort.signal);
    } catch {
      return; // suggestions are a help, never an error
    }
    if (abort.signal.aborted || this.input.value.trim() !== text) return;
    this.suggestList.replaceChildren(...items.slice(0, 3).flatMap((s) => {
      const href = s.url ? safeUrl(s.url, this.opts.base) : null;
      return href ? [h("li", null, h("a", { href, target: "_blank", rel: "noopener noreferrer", dir: "auto" }, s.title))] : [];
    }));
    this.suggestBox.hidden = this.suggestList.childElementCount === 0;
  }

  private hideSuggestions(): void {
    window.clearTimeout(this.suggestTimer);
    this.suggestAbort?.abort();
    this.suggestBox.hidden = true;
    this.suggestList.replaceChildren();
  }

  private async upload(file: File): Promise<void> {
    const max = this.cfg?.maxFileBytes ?? 0;
    if (max && file.size > max) {
      this.showNotice("fileTooLarge", { size: `${Math.floor(max / 1048576)} MB` });
      return;
    }
    const clientId = uuid();
    this.uploads.set(clientId, file.name);
    this.dismissedEnded = true;
    this.render();
    this.scrollDown();
    try {
      await this.ensureVisitor();
      let result: SendResult;
      try {
        result = await this.api.upload(this.store.data.token!, file, clientId);
      } catch (e) {
        if (!(e instanceof HttpError && e.status === 401)) throw e;
        await this.renew();
        result = await this.api.upload(this.store.data.token!, file, clientId);
      }
      this.adoptConversation(result.conversation);
      this.merge(result.message);
      this.store.save();
      void this.connect();
    } catch {
      this.showNotice("uploadFailed");
    }
    this.uploads.delete(clientId);
    this.render();
  }

  private async downloadAttachment(url: string, name: string): Promise<void> {
    try {
      const blob = await this.api.download(this.store.data.token!, url);
      const a = h("a", { href: URL.createObjectURL(blob), download: name });
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 30_000);
    } catch {
      this.showNotice("error");
    }
  }

  private async end(): Promise<void> {
    try {
      const c = await this.invoke<Conversation>("End");
      this.setConversation(c);
      this.focusView();
      this.scrollDown();
    } catch {
      this.showNotice("error");
    }
  }

  private pickScore(n: number): void {
    this.score = n;
    this.stars.forEach((b, i) => b.setAttribute("aria-pressed", String(i < n)));
  }

  private async rate(): Promise<void> {
    if (!this.score) {
      this.stars[0].focus();
      return;
    }
    try {
      await this.invoke("Rate", { score: this.score, comment: this.rateComment.value.trim() || null });
      this.rated = true;
      this.rateThanks.textContent = this.t("ratingThanks");
      this.render();
      this.rateThanks.setAttribute("tabindex", "-1");
      this.rateThanks.focus();
    } catch {
      this.showNotice("error");
    }
  }

  private async transcript(): Promise<void> {
    const email = this.transcriptEmail.value.trim();
    if (email && !EMAIL_RE.test(email)) {
      this.transcriptEmail.setAttribute("aria-invalid", "true");
      this.transcriptEmail.focus();
      return;
    }
    this.transcriptEmail.removeAttribute("aria-invalid");
    try {
      await this.invoke("Transcript", { email: email || null });
      this.transcriptTo = email || this.store.data.email || "";
      this.render();
    } catch {
      this.showNotice("error");
    }
  }

  private newChat(): void {
    const d = this.store.data;
    this.dismissedEnded = true;
    d.conversation = null;
    d.messages = [];
    this.rows.clear();
    this.log.replaceChildren();
    this.rated = false;
    this.transcriptTo = null;
    this.pickScore(0);
    this.rateComment.value = "";
    this.store.save();
    this.render();
    this.focusView();
  }

  private async contact(): Promise<void> {
    const f = this.offline;
    const email = f.email.value.trim();
    const message = f.message.value.trim();
    for (const el of Object.values(f)) el.removeAttribute("aria-invalid");
    const bad = !EMAIL_RE.test(email) ? f.email : !message ? f.message : null;
    this.offlineError.textContent = bad === f.email ? this.t(email ? "badEmail" : "required") : bad ? this.t("required") : "";
    if (bad) {
      bad.setAttribute("aria-invalid", "true");
      bad.focus();
      return;
    }
    try {
      const r = await this.api.contact({ name: f.name.value.trim() || undefined, email, subject: f.subject.value.trim() || undefined, message, language: this.opts.lang });
      this.store.data.receipt = r.ticketNumber;
      this.store.save();
      f.message.value = "";
      f.subject.value = "";
      this.render();
      this.receipt.focus();
    } catch {
      this.offlineError.textContent = this.t("error");
    }
  }

  // ---- drawing ----

  private showNotice(key: Key, args?: Record<string, string | number>): void {
    this.notice = key;
    this.noticeLine.textContent = this.t(key, args);
    this.noticeLine.hidden = false;
    window.setTimeout(() => {
      if (this.notice === key) {
        this.notice = null;
        this.noticeLine.hidden = true;
      }
    }, 6000);
  }

  private statusText(): string {
    const t = this.t;
    const c = this.store.data.conversation;
    if (this.reconnecting) return t("reconnecting");
    if (!c) return "";
    switch (c.state) {
      case "queued": {
        const parts = [];
        if (c.queuePosition) parts.push(t("queue", { n: c.queuePosition }));
        if (c.estimatedWaitSeconds != null) {
          parts.push(c.estimatedWaitSeconds < 60 ? t("waitShort") : t("wait", { n: Math.round(c.estimatedWaitSeconds / 60) }));
        }
        return parts.join(" ");
      }
      case "offered":
        return t("offered");
      case "active":
        return c.agentName ? t("active", { name: c.agentName }) : t("activeNoName");
      default:
        return t("ended");
    }
  }

  private render(): void {
    const t = this.t;
    const d = this.store.data;
    const view = this.view();
    this.root.classList.toggle("open", this.isOpen);
    this.panel.hidden = !this.isOpen;
    this.launcher.setAttribute("aria-expanded", String(this.isOpen));
    this.launcher.setAttribute("aria-label", this.unread ? t("openUnread", { n: this.unread }) : this.isOpen ? t("close") : t("open"));
    this.badge.hidden = !this.unread;
    this.badge.textContent = this.unread ? new Intl.NumberFormat(this.opts.lang).format(this.unread) : "";
    for (const [name, el] of Object.entries(this.views)) el.hidden = name !== view;
    const status = this.statusText();
    if (this.statusLine.textContent !== status) this.statusLine.textContent = status;
    this.endButton.hidden = !(view === "chat" && this.live() && this.ready);

    // pre-chat
    const required = this.cfg?.preChat === "required";
    this.prechatNote.textContent = required ? t("prechatRequired") : t("prechatIntro");
    this.nameOpt.textContent = this.emailOpt.textContent = required ? "" : `(${t("optional")})`;
    this.nameInput.required = this.emailInput.required = required;

    // chat
    this.renderMessages();
    const typing = this.agentTyping ? (this.agentTyping.name ? t("typing", { name: this.agentTyping.name }) : t("agentTyping")) : "";
    if (this.typingLine.textContent !== typing) this.typingLine.textContent = typing;
    const ended = !!d.conversation && d.conversation.state === "ended" && !this.dismissedEnded && !d.pending.length;
    this.endedBox.hidden = !ended;
    this.composer.hidden = ended;
    this.rateBox.hidden = this.rated;
    this.rateThanks.hidden = !this.rated;
    if (this.rated && !this.rateThanks.textContent) this.rateThanks.textContent = t("ratingThanks");
    this.transcriptForm.hidden = this.transcriptTo !== null;
    this.transcriptDone.hidden = this.transcriptTo === null;
    this.transcriptDone.textContent = this.transcriptTo !== null ? t("transcriptSent", { email: this.transcriptTo }) : "";

    // offline
    const next = this.availability.nextOpenAt ? new Date(this.availability.nextOpenAt) : null;
    this.offlineHours.hidden = !next;
    if (next) {
      const when = new Intl.DateTimeFormat(this.opts.lang, { weekday: "long", hour: "numeric", minute: "2-digit" }).format(next);
      this.offlineHours.textContent = t("offlineHours", { when });
    }
    this.receipt.hidden = this.another.hidden = !d.receipt;
    this.offlineForm.hidden = !!d.receipt;
    this.receipt.textContent = d.receipt ? t("receipt", { n: new Intl.NumberFormat(this.opts.lang, { useGrouping: false }).format(d.receipt) }) : "";
  }

  /** Reconciles the log with the messages (one row per message, kept across renders, so nothing is announced twice). */
  private renderMessages(): void {
    const d = this.store.data;
    const ids = d.messages.map((m) => m.id);
    const readAt = this.agentMarks.read ? ids.indexOf(this.agentMarks.read) : -1;
    const deliveredAt = Math.max(readAt, this.agentMarks.delivered ? ids.indexOf(this.agentMarks.delivered) : -1);
    const wanted: HTMLElement[] = [];
    d.messages.forEach((m, i) => {
      const mark = m.author !== "visitor" ? null : i <= readAt ? "read" : i <= deliveredAt ? "delivered" : "sent";
      wanted.push(this.row(`m:${m.id}`, m.author, m.authorName ?? null, m.text, m.attachments, m.createdAt, mark, m.clientId));
    });
    for (const p of d.pending) wanted.push(this.row(`m:${p.clientId}`, "visitor", null, p.text, [], p.createdAt, "sending", p.clientId));
    for (const [clientId, file] of this.uploads) wanted.push(this.row(`m:${clientId}`, "visitor", null, this.t("uploading", { file }), [], "", "sending", clientId));
    // Keep existing rows in place; append or insert only what is new.
    const keep = new Set(wanted);
    for (const el of [...this.log.children]) if (!keep.has(el as HTMLElement)) el.remove();
    wanted.forEach((el, i) => {
      if (this.log.children[i] !== el) this.log.insertBefore(el, this.log.children[i] ?? null);
    });
  }

  private row(key: string, author: string, authorName: string | null, text: string, attachments: Message["attachments"], at: string,
    mark: "sending" | "sent" | "delivered" | "read" | null, clientId?: string | null): HTMLElement {
    // A pending message becomes the stored one: the same row (found by clientId) takes the new key, so it is not re-announced.
    let el = this.rows.get(key) ?? (clientId ? this.rows.get(`m:${clientId}`) : undefined);
    const t = this.t;
    if (!el) {
      const bubble = h("div", { class: "bubble", dir: "auto" });
      const who = author === "visitor" ? t("you") : author === "agent" ? authorName || t("agent") : "";
      const time = at ? new Intl.DateTimeFormat(this.opts.lang, { hour: "numeric", minute: "2-digit" }).format(new Date(at)) : "";
      const meta = h("p", { class: "meta" });
      el = h("div", { class: `msg ${author}` }, author === "system" ? null : h("span", { class: "sr" }, `${who}: `), bubble, author === "system" ? null : meta);
      el.dataset.who = who;
      el.dataset.time = time;
    }
    if (clientId && this.rows.get(`m:${clientId}`) === el && key !== `m:${clientId}`) this.rows.delete(`m:${clientId}`);
    this.rows.set(key, el);
    // The text and files (a pending upload's row becomes the stored message's: same row, now with its file).
    const content = `${text}\n${attachments.map((a) => a.id).join(",")}`;
    if (el.dataset.content !== content) {
      const bubble = el.querySelector(".bubble")!;
      // A file sent without a caption has its file name as text (what email and the agents' timeline show): shown once.
      bubble.replaceChildren(attachments.some((a) => a.fileName === text) ? "" : linkify(text));
      for (const a of attachments) {
        const b = h("button", { type: "button", class: "att", "aria-label": t("download", { file: a.fileName }) }, icon(...ICONS.file), a.fileName);
        b.addEventListener("click", () => void this.downloadAttachment(a.url, a.fileName));
        if (bubble.childNodes.length) bubble.append(h("br"));
        bubble.append(b);
      }
      el.dataset.content = content;
    }
    el.classList.toggle("pending", mark === "sending");
    if (key.startsWith("m:") && at && !el.dataset.time) el.dataset.time = new Intl.DateTimeFormat(this.opts.lang, { hour: "numeric", minute: "2-digit" }).format(new Date(at));
    const meta = el.querySelector(".meta");
    if (meta) {
      const parts = [el.dataset.who, el.dataset.time].filter(Boolean);
      if (mark) parts.push(`${mark === "sending" ? "…" : mark === "sent" ? "✓" : "✓✓"} ${t(mark)}`);
      const s = parts.join(" · ");
      if (meta.textContent !== s) meta.textContent = s;
      if (mark) el.dataset.mark = mark;
    }
    return el;
  }

  private autosize(): void {
    this.input.style.height = "auto";
    this.input.style.height = `${Math.min(this.input.scrollHeight + 2, 140)}px`;
  }

  private scrollDown(): void {
    requestAnimationFrame(() => {
      this.scroll.scrollTop = this.scroll.scrollHeight;
    });
  }

  private focusView(): void {
    requestAnimationFrame(() => {
      const view = this.views[this.view()];
      if (view === this.views.chat && !this.composer.hidden) this.input.focus();
      else if (view === this.views.offline && !this.receipt.hidden) this.receipt.focus();
      else view.querySelector<HTMLElement>("input:not([hidden]), textarea, button:not([hidden])")?.focus();
    });
  }
}

