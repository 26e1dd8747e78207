// Ateb's visitor HTTP endpoints (docs/chat-protocol.md). Cross-origin fetches without cookies (credentials: "omit"):
// the visitor token travels in the Authorization header, never in a URL.

import type { ContactReceipt, Identity, SendResult, Suggestion, VisitorToken, WidgetConfig } from "./types";

export class HttpError extends Error {
  constructor(readonly status: number, readonly problem: { errors?: Record<string, string[]>; detail?: string } | null) {
    super(`HTTP ${status}`);
  }

  /** The fields a 422 problem names. */
  fields(): string[] {
    return Object.keys(this.problem?.errors ?? {});
  }
}

export class Api {
  constructor(readonly base: string, readonly workspace: string) {}

  private url(path: string): string {
    return `${this.base}/api/v1/chat/${encodeURIComponent(this.workspace)}${path}`;
  }

  private async call<T>(url: string, init: RequestInit = {}, token?: string): Promise<T> {
    const headers = new Headers(init.headers);
    if (token) headers.set("Authorization", `Bearer ${token}`);
    if (typeof init.body === "string") headers.set("Content-Type", "application/json");
    const res = await fetch(url, { ...init, headers, credentials: "omit", mode: "cors" });
    if (!res.ok) {
      let problem = null;
      try {
        problem = await res.json();
      } catch {
        /* not JSON */
      }
      throw new HttpError(res.status, problem);
    }
    return (res.status === 204 ? null : await res.json()) as T;
  }

  config(lang: string): Promise<WidgetConfig> {
    return this.call(this.url(`/widget?lang=${encodeURIComponent(lang)}`));
  }

  /** A new visitor, or (with the old token) the same visitor's fresh token. */
  visitor(body: Identity & { language: string }, oldToken?: string): Promise<VisitorToken> {
    const { userId, userHash, name, email, language } = body;
    return this.call(this.url("/visitors"), { method: "POST", body: JSON.stringify({ name, email, userId, userHash, language }) }, oldToken);
  }

  contact(body: { name?: string; email: string; subject?: string; message: string; language: string }): Promise<ContactReceipt> {
    return this.call(this.url("/contact"), { method: "POST", body: JSON.stringify(body) });
  }

  upload(token: string, file: File, clientId: string): Promise<SendResult> {
    const form = new FormData();
    form.append("file", file, file.name);
    form.append("clientId", clientId);
    return this.call(this.url("/attachments"), { method: "POST", body: form }, token);
  }

  async download(token: string, url: string): Promise<Blob> {
    const res = await fetch(new URL(url, this.base).href, { headers: { Authorization: `Bearer ${token}` }, credentials: "omit", mode: "cors" });
    if (!res.ok) throw new HttpError(res.status, null);
    return res.blob();
  }

  suggestions(text: string, lang: string, signal: AbortSignal): Promise<Suggestion[]> {
    const q = `?text=${encodeURIComponent(text)}&lang=${encodeURIComponent(lang)}`;
    return this.call(`${this.base}/api/v1/public/${encodeURIComponent(this.workspace)}/kb/suggestions${q}`, { signal });
  }
}
