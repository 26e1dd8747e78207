// What survives page loads and new tabs, in the host page's localStorage under one key per Ateb and workspace: the
// visitor token, the conversation and its last messages (the history shown at once on the next page; Hello with the
// last message id then fetches only what is newer), and the messages not yet stored by Ateb (resent with the same
// clientId, so a resend never makes a second message).

import type { Conversation, Message } from "./types";

export interface Pending { clientId: string; text: string; createdAt: string }

export interface Saved {
  token?: string;
  visitorId?: string;
  /** The host site's user id the token was made for ("" when anonymous): another user on the same browser starts afresh. */
  userId?: string;
  name?: string;
  email?: string;
  conversation?: Conversation | null;
  messages: Message[];
  pending: Pending[];
  /** Ticket number of the last offline contact form, shown until a chat starts. */
  receipt?: number;
}

const MAX_MESSAGES = 200;

export class Store {
  data: Saved;

  constructor(readonly key: string) {
    this.data = this.load();
  }

  load(): Saved {
    try {
      const raw = localStorage.getItem(this.key);
      const parsed = raw ? (JSON.parse(raw) as Saved) : null;
      if (parsed && Array.isArray(parsed.messages) && Array.isArray(parsed.pending)) return parsed;
    } catch {
      // Storage blocked (privacy settings) or damaged: start without history.
    }
    return { messages: [], pending: [] };
  }

  save(): void {
    if (this.data.messages.length > MAX_MESSAGES) this.data.messages = this.data.messages.slice(-MAX_MESSAGES);
    try {
      localStorage.setItem(this.key, JSON.stringify(this.data));
    } catch {
      // Full or blocked: the chat still works for this page.
    }
  }

  reset(): void {
    this.data = { messages: [], pending: [] };
    try {
      localStorage.removeItem(this.key);
    } catch {
      /* blocked */
    }
  }
}

/** Per-tab flags (the panel was open): sessionStorage, so a reload keeps the panel as it was. */
export function tabFlag(key: string, value?: boolean): boolean {
  try {
    if (value === undefined) return sessionStorage.getItem(key) === "1";
    if (value) sessionStorage.setItem(key, "1");
    else sessionStorage.removeItem(key);
  } catch {
    /* blocked */
  }
  return !!value;
}
