// The wire contract (src/Ateb/Features/Chat/ChatContracts.cs, docs/chat-protocol.md): camelCase JSON, enums as
// camelCase strings, Guids as strings, times as ISO 8601.

export type ChatState = "queued" | "offered" | "active" | "ended";
export type Availability = "open" | "disabled" | "outsideHours" | "noAgents" | "queueFull";
export type Author = "visitor" | "agent" | "system";

export interface AvailabilityView { state: Availability; nextOpenAt?: string | null }

export interface WidgetConfig {
  workspace: string;
  name: string;
  brandColor: string;
  greeting: string;
  language: string;
  languages: string[];
  preChat: "none" | "optional" | "required";
  availability: AvailabilityView;
  maxFileBytes: number;
  helpCenterUrl: string;
}

export interface VisitorToken { token: string; expiresAt: string; visitorId: string; verified: boolean }

export interface Attachment { id: string; fileName: string; contentType: string; size: number; url: string }

export interface Message {
  id: string;
  conversationId: string;
  clientId?: string | null;
  author: Author;
  authorName?: string | null;
  text: string;
  isNote: boolean;
  attachments: Attachment[];
  createdAt: string;
}

export interface Conversation {
  id: string;
  number: number;
  state: ChatState;
  queuePosition?: number | null;
  estimatedWaitSeconds?: number | null;
  agentName?: string | null;
  startedAt: string;
  endedAt?: string | null;
  rating?: number | null;
  deliveredUpTo?: string | null;
  readUpTo?: string | null;
}

export interface VisitorSync {
  visitorId: string;
  name?: string | null;
  verified: boolean;
  availability: AvailabilityView;
  conversation?: Conversation | null;
  messages: Message[];
}

export interface SendResult { message: Message; conversation: Conversation }
export interface Typing { conversationId: string; who: Author; name?: string | null; isTyping: boolean }
export interface Marks { conversationId: string; by: Author; deliveredUpTo?: string | null; readUpTo?: string | null }
/** Url is null when the workspace's help center has no address: such a suggestion is not shown. */
export interface Suggestion { id: string; title: string; snippet?: string; url?: string | null }
export interface ContactReceipt { ticketNumber: number }

/** The host site's user, vouched for by an HMAC of userId with the workspace's identity secret. */
export interface Identity { userId?: string | null; userHash?: string | null; name?: string | null; email?: string | null }
